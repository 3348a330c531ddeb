import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ApiError } from '../../../shared/errors';
import { formatBytes, formatDuration } from '../../../shared/format';
import type { ParamValue, RunDetail, RunParams } from '../../../shared/schemas/runs';
import { printJson, table, withSession, type CliCommand, type CliContext, type OptionValues } from '../context';
import { expand } from '../../workspace/resolve';
import { DocumentKeyError, parseStrictJson } from '../../../shared/strictJson';



function strings(v: OptionValues[string]): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === 'string');
}

function str(v: OptionValues[string]): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function onlyArg(args: string[], what: string, usage: string): string {
  const [first, ...rest] = args;
  if (first === undefined || rest.length > 0) throw new ApiError('invalid_request', `expected exactly one ${what}. Usage: ${usage}`);
  return first;
}

/** `--input R1=reads/a.fastq.gz` → {role, absolute path} (relative to the current directory). */
export function parseInputs(values: string[]): { role: string; path: string }[] {
  return values.map((text) => {
    const eq = text.indexOf('=');
    if (eq <= 0 || eq === text.length - 1) throw new ApiError('invalid_request', `--input takes ROLE=PATH, not ${JSON.stringify(text)}.`);
    return { role: text.slice(0, eq), path: expand(text.slice(eq + 1)) };
  });
}

/** `1`, `-0.5`, `1e3` are numbers; `true`/`false` booleans; anything else a string. */
export function parseParamValue(text: string): ParamValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) {
    const n = Number(text);
    if (Number.isFinite(n)) return n;
  }
  return text;
}

/** `--param cutadapt.r1_seq=ACGT` (repeatable) → `{ cutadapt: { r1_seq: 'ACGT' } }`. */
export function parseParams(values: string[]): RunParams {
  const params: RunParams = {};
  for (const text of values) {
    const eq = text.indexOf('=');
    const key = eq === -1 ? '' : text.slice(0, eq);
    const dot = key.indexOf('.');
    if (dot <= 0 || dot === key.length - 1) throw new ApiError('invalid_request', `--param takes STEP.NAME=VALUE, not ${JSON.stringify(text)}.`);
    (params[key.slice(0, dot)] ??= {})[key.slice(dot + 1)] = parseParamValue(text.slice(eq + 1));
  }
  return params;
}

/** SQLite's `2025-01-31 14:25:01` (UTC) or an ISO string → ms, or null. */
function toMs(text: string | null): number | null {
  if (!text) return null;
  const iso = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(text) ? `${text.replace(' ', 'T')}Z` : text;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

function showRun(ctx: CliContext, run: RunDetail): void {
  ctx.out(`Run ${run.id}: ${run.name}`);
  if (run.description) ctx.out(`  ${run.description}`);
  ctx.out(`  Status: ${run.status}${run.currentStep ? ` (step ${run.currentStep})` : ''}   Pipeline: ${run.pipeline ?? '—'}   Created by: ${run.createdBy ?? '—'}`);
  ctx.out(`  Created: ${run.createdAt}   Updated: ${run.updatedAt}${run.cleanedAt ? `   Files cleaned: ${run.cleanedAt}` : ''}`);
  ctx.out(`  Folder: ${run.dir}`);
  ctx.out('');
  if (run.inputs.length === 0) ctx.out('Inputs: none');
  else {
    ctx.out(`Inputs (${run.inputs.length}):`);
    const rows = run.inputs.map((i) => [i.role, i.path, formatBytes(i.bytes), i.mode === 'link' ? `link → ${i.originalPath}` : 'copy', i.sha256]);
    for (const line of table([['Role', 'Path', 'Size', 'Mode', 'sha256'], ...rows], '  ')) ctx.out(line);
  }
  ctx.out('');
  const steps = Object.entries(run.params);
  if (steps.length === 0) ctx.out('Parameters: none');
  else {
    ctx.out('Parameters:');
    for (const [step, params] of steps) {
      ctx.out(`  ${step}:`);
      for (const [name, value] of Object.entries(params)) ctx.out(`    ${name} = ${JSON.stringify(value)}`);
    }
  }
  ctx.out('');
  if (run.jobs.length === 0) ctx.out('Step history: no step has run yet');
  else {
    ctx.out(`Step history (${run.jobs.length} attempt${run.jobs.length === 1 ? '' : 's'}):`);
    const rows = run.jobs.map((j) => {
      const start = toMs(j.startedAt);
      const end = toMs(j.completedAt);
      const duration = start !== null && end !== null ? formatDuration(Math.max(0, (end - start) / 1000)) : start !== null ? 'running' : '—';
      return [j.id, j.step, j.attempt, j.status, j.startedAt ?? '—', duration, j.exitCode ?? '—', j.tool ? `${j.tool} ${j.toolVersion ?? ''}`.trim() : '—'];
    });
    for (const line of table([['Job', 'Step', 'Attempt', 'Status', 'Started', 'Duration', 'Exit', 'Tool'], ...rows], '  ')) ctx.out(line);
  }
}

export const runsCommands: CliCommand[] = [
  {
    words: ['runs', 'create'],
    usage:
      'benchtop runs create --name N [--description D] [--created-by U] [--pipeline P] [--input ROLE=PATH …] [--link] [--param STEP.NAME=VALUE …]',
    summary: 'Create a run: inputs copied (or with --link, linked) into runs/<id>/rawdata/ with their sha256, parameters stored by step',
    options: {
      name: { type: 'string' },
      description: { type: 'string' },
      'created-by': { type: 'string' },
      pipeline: { type: 'string' },
      input: { type: 'string', multiple: true },
      link: { type: 'boolean' },
      param: { type: 'string', multiple: true },
    },
    run: (ctx, values) =>
      withSession(ctx, async (session) => {
        const name = str(values.name);
        if (!name) throw new ApiError('invalid_request', '--name is required.');
        const description = str(values.description);
        const createdBy = str(values['created-by']);
        const pipeline = str(values.pipeline);
        const run = await session.call('runs.create', {
          name,
          ...(description !== undefined ? { description } : {}),
          ...(createdBy !== undefined ? { createdBy } : {}),
          ...(pipeline !== undefined ? { pipeline } : {}),
          inputs: parseInputs(strings(values.input)),
          mode: values.link ? 'link' : 'copy',
          params: parseParams(strings(values.param)),
        });
        if (ctx.json) printJson(ctx, run);
        else {
          ctx.out(`Created run ${run.id} (${run.name}) in ${run.dir}`);
          for (const i of run.inputs) ctx.out(`  ${i.role}: ${i.path}  ${formatBytes(i.bytes)}  sha256 ${i.sha256}${i.mode === 'link' ? '  (linked)' : ''}`);
        }
      }),
  },
  {
    words: ['runs', 'list'],
    usage: 'benchtop runs list [--search S] [--status S] [--pipeline P] [--limit N] [--offset N]',
    summary: 'Runs, newest first; --search matches name, description, creator and id',
    options: {
      search: { type: 'string' },
      status: { type: 'string' },
      pipeline: { type: 'string' },
      limit: { type: 'string' },
      offset: { type: 'string' },
    },
    run: (ctx, values) =>
      withSession(ctx, async (session) => {
        const num = (flag: string, v: string | undefined) => {
          if (v === undefined) return undefined;
          const n = Number(v);
          if (!Number.isInteger(n) || n < 0) throw new ApiError('invalid_request', `--${flag} must be a whole number, not ${JSON.stringify(v)}.`);
          return n;
        };
        const search = str(values.search);
        const status = str(values.status);
        const pipeline = str(values.pipeline);
        const limit = num('limit', str(values.limit));
        const offset = num('offset', str(values.offset));
        const result = await session.call('runs.list', {
          ...(search !== undefined ? { search } : {}),
          ...(status !== undefined ? { status } : {}),
          ...(pipeline !== undefined ? { pipeline } : {}),
          ...(limit !== undefined ? { limit } : {}),
          ...(offset !== undefined ? { offset } : {}),
        });
        if (ctx.json) return printJson(ctx, result);
        if (result.total === 0) return ctx.out('No runs.');
        const rows = result.runs.map((r) => [r.id, r.name, r.status, r.currentStep ?? '—', r.pipeline ?? '—', r.createdBy ?? '—', r.createdAt, r.cleanedAt ? 'cleaned' : '']);
        for (const line of table([['ID', 'Name', 'Status', 'Step', 'Pipeline', 'Created by', 'Created', 'Files'], ...rows])) ctx.out(line);
        if (result.total > result.runs.length) ctx.out(`(${result.runs.length} of ${result.total})`);
      }),
  },
  {
    words: ['runs', 'show'],
    usage: 'benchtop runs show ID',
    summary: 'A run: inputs, parameters, and its step history (every attempt: status, start, duration, exit code, tool version)',
    options: {},
    run: (ctx, _values, args) =>
      withSession(ctx, async (session) => {
        const run = await session.call('runs.get', { id: onlyArg(args, 'run id', 'benchtop runs show ID') });
        if (ctx.json) printJson(ctx, run);
        else showRun(ctx, run);
      }),
  },
  {
    words: ['runs', 'export'],
    usage: 'benchtop runs export ID [--out FILE]',
    summary: "Write a run's configuration (parameters, input descriptions with sha256; no data) as JSON",
    options: { out: { type: 'string', short: 'o' } },
    run: (ctx, values, args) =>
      withSession(ctx, async (session) => {
        const config = await session.call('runs.export', { id: onlyArg(args, 'run id', 'benchtop runs export ID [--out FILE]') });
        const out = str(values.out);
        if (out === undefined) return printJson(ctx, config);
        const file = expand(out);
        writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { flag: 'wx' });
        if (ctx.json) printJson(ctx, { path: file });
        else ctx.out(`Exported run ${config.name} to ${file}`);
      }),
  },
  {
    words: ['runs', 'import'],
    usage: 'benchtop runs import FILE [--input ROLE=PATH …] [--link] [--allow-checksum-mismatch]',
    summary: 'Create a new run from an exported configuration; given input files must match the exported sha256',
    options: {
      input: { type: 'string', multiple: true },
      link: { type: 'boolean' },
      'allow-checksum-mismatch': { type: 'boolean' },
    },
    run: (ctx, values, args) =>
      withSession(ctx, async (session) => {
        const file = resolve(onlyArg(args, 'file', 'benchtop runs import FILE [--input ROLE=PATH …]'));
        let config: unknown;
        try {
          config = parseStrictJson(readFileSync(file, 'utf8'));
        } catch (err) {
          if (err instanceof DocumentKeyError) throw new ApiError('invalid_request', `${file}: ${err.message}`);
          throw new ApiError('invalid_request', `${file} is not a readable JSON file: ${(err as Error).message}`);
        }
        const inputs = parseInputs(strings(values.input));
        const run = await session.call('runs.import', {
          config,
          source: file,
          ...(inputs.length ? { inputs } : {}),
          ...(values.link ? { mode: 'link' as const } : {}),
          ...(values['allow-checksum-mismatch'] ? { allowChecksumMismatch: true } : {}),
        });
        if (ctx.json) printJson(ctx, run);
        else ctx.out(`Imported ${file} as run ${run.id} (${run.name}) with ${run.inputs.length} input file(s)`);
      }),
  },
  {
    words: ['runs', 'clean'],
    usage: 'benchtop runs clean ID',
    summary: "Delete a run's files (inputs copied in included); its records, jobs and audit trail stay",
    options: {},
    run: (ctx, _values, args) =>
      withSession(ctx, async (session) => {
        const id = onlyArg(args, 'run id', 'benchtop runs clean ID');
        const result = await session.call('runs.clean', { id });
        if (ctx.json) printJson(ctx, result);
        else ctx.out(`Cleaned run ${id}: deleted ${result.deletedFiles} file(s), ${formatBytes(result.deletedBytes)}`);
      }),
  },
  {
    words: ['runs', 'delete'],
    usage: 'benchtop runs delete ID --yes',
    summary: 'Delete a run, its files and its rows (the audit trail stays); --yes is required',
    options: { yes: { type: 'boolean' } },
    run: (ctx, values, args) =>
      withSession(ctx, async (session) => {
        const id = onlyArg(args, 'run id', 'benchtop runs delete ID --yes');
        if (!values.yes) throw new ApiError('invalid_request', `deleting run ${id} cannot be undone: add --yes to confirm.`);
        const result = await session.call('runs.delete', { id, confirm: id });
        if (ctx.json) printJson(ctx, result);
        else ctx.out(`Deleted run ${id}: ${result.deletedFiles} file(s), ${formatBytes(result.deletedBytes)}`);
      }),
  },
];
