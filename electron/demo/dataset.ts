/**
 * The demo workspace's data, generated on the spot from fixed seeds (the same bytes every time):
 * a GenBank file with the library's two constructs, a MinKNOW output tree, a basecalled BAM of
 * nanopore reads of those constructs, and a qsLAM paired-read dataset with its genome and annotation.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateMinknowTree } from './data/minknow';
import { generateQslamDataset, type QslamDataset } from './data/qslam';
import { genbank } from './data/sequences';
import { mutate, randomSeq, revcomp, rng, writeBam, writeFasta, type SamRead } from './data/smaReads';

export const DEMO_DATA_DIR = 'demo-data';

/** How many nanopore reads the demo's BAM holds. */
export const DEMO_NANOPORE_READS = 3000;

/** Read pairs beside the planted sites' (about 80), so the qsLAM run's files look like a run's. */
export const DEMO_QSLAM_BACKGROUND_PAIRS = 2000;

export interface DemoDataset {
  genbank: string;
  /** The constructs' sequences as FASTA: the references of the SMA ingest. */
  references: string;
  minknowRoot: string;
  /** The MinKNOW run folder the basecalled BAM belongs to (the complete one). */
  completeRun: string;
  qslam: QslamDataset;
}

interface Construct {
  name: string;
  seq: string;
  circular: boolean;
  features: string;
}

function constructs(rand: () => number): Construct[] {
  const plasmid = randomSeq(rand, 3000);
  const amplicon = randomSeq(rand, 900);
  return [
    {
      name: 'pDemo-GFP',
      seq: plasmid,
      circular: true,
      features: `     promoter        1..250
                     /label="CMV promoter"
     CDS             301..1020
                     /label="EGFP"
     terminator      1041..1265
                     /label="SV40 polyA"
     rep_origin      complement(1500..2088)
                     /label="ori"
     CDS             complement(2150..2950)
                     /label="AmpR"
     primer_bind     280..299
                     /label="GFP-fwd"
`,
    },
    {
      name: 'amp-900',
      seq: amplicon,
      circular: false,
      features: `     misc_feature    1..900
                     /label="amplicon"
     primer_bind     1..22
                     /label="amp-F"
     primer_bind     complement(879..900)
                     /label="amp-R"
`,
    },
  ];
}

/**
 * Reads as a basecaller writes them: most are one of the constructs with 2–10% errors on either
 * strand, some are unrelated (they stay unassigned); qualities and end reasons vary per read.
 */
function nanoporeReads(rand: () => number, targets: Construct[]): SamRead[] {
  const endReasons = ['signal_positive', 'signal_positive', 'signal_positive', 'signal_positive', 'unblock_mux_change', 'signal_negative', 'data_service_unblock_mux_change'];
  return Array.from({ length: DEMO_NANOPORE_READS }, (_, i) => {
    const pick = rand();
    const errorRate = 0.02 + rand() * 0.08;
    let seq: string;
    if (pick < 0.6) seq = mutate(rand, targets[0]!.seq, errorRate);
    else if (pick < 0.9) seq = mutate(rand, targets[1]!.seq, errorRate);
    else seq = randomSeq(rand, 200 + Math.floor(rand() * 4000));
    if (rand() < 0.5) seq = revcomp(seq);
    const meanQ = Math.round(26 - errorRate * 150);
    const qual = Array.from(seq, () => Math.max(2, Math.min(50, meanQ + Math.floor(rand() * 9) - 4)));
    const er = endReasons[Math.floor(rand() * endReasons.length)]!;
    return { name: `demo-read-${String(i).padStart(5, '0')}`, seq, qual, tags: [`er:Z:${er}`] };
  });
}

/** Write every file under `<workspace>/demo-data/` (replacing what a previous attempt left). */
export function writeDemoDataset(workspace: string): DemoDataset {
  const dir = join(workspace, DEMO_DATA_DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rand = rng(2024);
  const targets = constructs(rand);
  const gb = join(dir, 'pDemo-constructs.gb');
  writeFileSync(gb, genbank(targets.map((t) => ({ name: t.name, seq: t.seq, circular: t.circular, organism: 'synthetic construct', features: t.features }))));
  const references = join(dir, 'constructs.fa');
  writeFasta(references, targets.map((t) => [t.name, t.seq] as const));
  const minknowRoot = join(dir, 'minknow');
  const tree = generateMinknowTree(minknowRoot);
  const qslam = generateQslamDataset({ dir: join(dir, 'qslam'), seed: 7, umiLength: 8, backgroundPairs: DEMO_QSLAM_BACKGROUND_PAIRS });
  return { genbank: gb, references, minknowRoot, completeRun: tree.complete, qslam };
}

/** The basecalled BAM of the complete run, named as dorado's output is by convention. */
export function writeDemoBam(workspace: string, expId: string): string {
  const dir = join(workspace, DEMO_DATA_DIR, 'basecalls');
  mkdirSync(dir, { recursive: true });
  const rand = rng(2024);
  const targets = constructs(rand);
  const bam = join(dir, `${expId}_sup_v5.0.0_trim0_0.bam`);
  writeBam(bam, nanoporeReads(rng(77), targets));
  rmSync(`${bam}.sam`, { force: true });
  return bam;
}
