// The clip filter of the original LVIS qsLAM pipeline (11.bam2bed.sh):
//
//   perl -ne '@rec=split("\t"); $rec[5] =~ s/[SH].*//; print unless ($rec[5] =~ /^[0-9]+$/ && $rec[5] > 6)'
//
/**
 * i.e. an alignment is dropped when its SAM CIGAR, AS PRINTED, starts with a soft or hard clip
 * (`^[0-9]+[SH]`) longer than 6 bp. We keep that rule exactly: it is the LEFTMOST operation of the
 * CIGAR, whatever the read's strand. For a read on + that is the read's own start (where R1 leaves
 * the LTR, so a long clip there means the junction is not where the read says); for a read on −
 * the leftmost op is the read's 3' end. We chose to reproduce the original rather than "fix" it, so
 * that sites called here match the ones the lab's earlier pipeline called on the same data.
 * A pair loses both mates when either is dropped (bamtobed -bedpe then skips the orphan).
 */

/** The length of the CIGAR's leftmost operation when it is a clip (S or H), else 0. */
export function leadingClip(cigar: string): number {
  const m = /^(\d+)[SH]/.exec(cigar);
  return m ? Number(m[1]) : 0;
}

export function passesClipFilter(cigar: string, maxClip = 6): boolean {
  return leadingClip(cigar) <= maxClip;
}

/** For a SAM text line (header lines pass): keep it? */
export function keepSamLine(line: string, maxClip = 6): boolean {
  if (line.startsWith('@')) return true;
  let at = 0;
  for (let field = 0; field < 5; field++) {
    at = line.indexOf('\t', at) + 1;
    if (at === 0) return true; // not a full SAM record: let samtools complain
  }
  const end = line.indexOf('\t', at);
  return passesClipFilter(line.slice(at, end < 0 ? undefined : end), maxClip);
}
