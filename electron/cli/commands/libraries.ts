import { ApiError } from '../../../shared/errors';
import type { LibraryDetail } from '../../../shared/schemas/libraries';
import { expand } from '../../workspace/resolve';
import { printJson, table, withSession, type CliCommand, type CliContext } from '../context';

function onlyArg(args: string[], what: string, usage: string): string {
  const [first, ...rest] = args;
  if (first === undefined || rest.length > 0) throw new ApiError('invalid_request', `expected exactly one ${what}. Usage: ${usage}`);
  return first;
}

function cell(v: unknown): string {
  return v === null || v === undefined || v === '' ? '—' : String(v);
}

function percent(v: unknown): string {
  return typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : '—';
}

function showLibrary(ctx: CliContext, lib: LibraryDetail): void {
  const s = lib.spec;
  ctx.out(`Library ${cell(s.lib_id)}: ${cell(s.lib_name)}  version ${cell(s.lib_version)}  ${cell(s.status)}${lib.readOnly ? '  (read-only: a newer version exists)' : ''}`);
  if (s.description) ctx.out(`  ${String(s.description)}`);
  ctx.out(`  Project: ${cell(s.project)}   Pore: ${cell(s.pore_type)}   Flow cell: ${cell(s.flow_cell_type)}   Kit: ${cell(s.sequencing_kit)}   Created by: ${cell(s.created_by)}`);
  ctx.out(`  Versions: ${lib.versions.map((v) => `${cell(v.lib_version)}${v.lib_id === s.lib_id ? ' (this)' : ''}`).join(' → ')}`);
  ctx.out('');
  ctx.out(`Constructs (${lib.constructs.length}):`);
  if (lib.constructs.length) {
    const rows = lib.constructs.map((c) => [cell(c.construct_id), cell(c.name), cell(c.construct_type), cell(c.length), percent(c.gc_content), cell(c.source_format), lib.fragments.filter((f) => f.construct_id === c.construct_id).length]);
    for (const line of table([['ID', 'Name', 'Type', 'Length', 'GC', 'Source', 'Fragments'], ...rows], '  ')) ctx.out(line);
  }
  if (lib.fragments.length) {
    ctx.out(`Fragments (${lib.fragments.length}):`);
    const rows = lib.fragments.map((f) => [cell(f.fragment_id), cell(f.name), cell(f.construct_id), cell(f.fragment_type), cell(f.expected_len), `±${cell(f.len_tolerance)}`, cell(f.expected_strand), lib.modifications.filter((m) => m.fragment_id === f.fragment_id).map((m) => m.mod_type).join(',') || '—']);
    for (const line of table([['ID', 'Name', 'Construct', 'Type', 'Expected', 'Tolerance', 'Strand', 'Modifications'], ...rows], '  ')) ctx.out(line);
  }
  ctx.out(`Barcodes (${lib.barcodes.length}):`);
  if (lib.barcodes.length) {
    const rows = lib.barcodes.map((b) => [cell(b.barcode_id), cell(b.barcode_kit), cell(b.barcode_name), cell(b.sample_name), cell(b.expected_constructs), cell(b.min_reads), cell(b.min_purity)]);
    for (const line of table([['ID', 'Kit', 'Barcode', 'Sample', 'Expected constructs', 'Min reads', 'Min purity'], ...rows], '  ')) ctx.out(line);
  }
  ctx.out(`Sample preparations: ${lib.sample_prep.length}   Custom fields: ${lib.custom_fields.length}`);
  const qc = lib.qc_thresholds;
  if (qc) {
    ctx.out(`QC thresholds: mean Q ≥ ${cell(qc.min_mean_qscore)}, median Q ≥ ${cell(qc.min_median_qscore)}, purity ≥ ${cell(qc.min_purity)}, error rate ≤ ${cell(qc.max_error_rate)}, N50 ≥ ${cell(qc.min_n50)}, reads ≥ ${cell(qc.min_reads)}`);
  }
  ctx.out(`Experiments (${lib.experiments.length}):`);
  for (const e of lib.experiments) ctx.out(`  ${e.exp_id}  ${cell(e.relationship)}  ${cell(e.run_purpose)}${e.notes ? `  ${e.notes}` : ''}`);
}

export const librariesCommands: CliCommand[] = [
  {
    words: ['libraries', 'list'],
    usage: 'benchtop libraries list',
    summary: 'Library specs: id, name, version, status, counts of constructs, barcodes and linked experiments',
    options: {},
    run: (ctx) =>
      withSession(ctx, async (session) => {
        const libs = await session.call('libraries.list', {});
        if (ctx.json) return printJson(ctx, libs);
        if (libs.length === 0) return ctx.out('No library specs.');
        const rows = libs.map((l) => [l.lib_id, l.lib_name, cell(l.lib_version), `${cell(l.status)}${l.readOnly ? ' (read-only)' : ''}`, cell(l.project), l.constructs, l.barcodes, l.experiments]);
        for (const line of table([['ID', 'Name', 'Version', 'Status', 'Project', 'Constructs', 'Barcodes', 'Experiments'], ...rows])) ctx.out(line);
      }),
  },
  {
    words: ['libraries', 'show'],
    usage: 'benchtop libraries show ID',
    summary: 'A library spec with its constructs, fragments, barcodes, QC thresholds, versions and experiments',
    options: {},
    run: (ctx, _values, args) =>
      withSession(ctx, async (session) => {
        const lib = await session.call('libraries.get', { libId: onlyArg(args, 'library id', 'benchtop libraries show ID') });
        if (ctx.json) printJson(ctx, lib);
        else showLibrary(ctx, lib);
      }),
  },
  {
    words: ['libraries', 'import'],
    usage: 'benchtop libraries import FILE',
    summary: 'Import a whole library spec from YAML or JSON (one transaction; ids kept, an existing id is refused)',
    options: {},
    run: (ctx, _values, args) =>
      withSession(ctx, async (session) => {
        const file = expand(onlyArg(args, 'file', 'benchtop libraries import FILE'));
        const lib = await session.call('libraries.import', { path: file });
        if (ctx.json) printJson(ctx, lib);
        else ctx.out(`Imported ${file} as library ${String(lib.spec.lib_id)} (${String(lib.spec.lib_name)} ${String(lib.spec.lib_version)}): ${lib.constructs.length} construct(s), ${lib.fragments.length} fragment(s), ${lib.barcodes.length} barcode(s)`);
      }),
  },
  {
    words: ['libraries', 'export'],
    usage: 'benchtop libraries export ID [--format yaml|json] [--out FILE]',
    summary: 'Write a whole library spec as YAML (default) or JSON, to stdout or a new file (with --json on stdout: {libId, format, text})',
    options: { format: { type: 'string' }, out: { type: 'string', short: 'o' } },
    run: (ctx, values, args) =>
      withSession(ctx, async (session) => {
        const libId = onlyArg(args, 'library id', 'benchtop libraries export ID [--format yaml|json] [--out FILE]');
        const format = values.format ?? (typeof values.out === 'string' && values.out.toLowerCase().endsWith('.json') ? 'json' : 'yaml');
        if (format !== 'yaml' && format !== 'json') throw new ApiError('invalid_request', `--format is yaml or json, not ${JSON.stringify(format)}.`);
        const out = typeof values.out === 'string' ? expand(values.out) : undefined;
        const result = await session.call('libraries.export', { libId, format, ...(out ? { path: out } : {}) });
        if (out === undefined && ctx.json) printJson(ctx, { libId, format, text: result.text });
        else if (out === undefined) ctx.out(result.text.replace(/\n$/, ''));
        else if (ctx.json) printJson(ctx, { libId, format, path: result.path });
        else ctx.out(`Exported library ${libId} to ${result.path} (${format})`);
      }),
  },
];
