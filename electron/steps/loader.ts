import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, normalize, resolve, sep } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import type { StepInfo } from '../../shared/schemas/steps';
import stepMetaSchema from '../../resources/steps/step.schema.json';
import { ajvPointer, ajvReason } from './ajv';
import { checkParametersSchema, isObject } from './parameters';
import { checkTemplate } from './template';
import type { LoadedCatalog, ParamScalar, ParametersSchema, StepDefinition, StepInputDef, StepLoadError, StepOutputDef, TemplateElement, ToolRequirement } from './types';
import { resultParserIds } from '../results';
import { DocumentKeyError, parseStrictJson } from '../../shared/strictJson';

const MAX_DEFINITION_BYTES = 1024 * 1024;

let metaValidator: ReturnType<Ajv2020['compile']> | null = null;
function validateMeta(value: unknown) {
  if (!metaValidator) {
    const ajv = new Ajv2020({ strict: true, allErrors: true, allowUnionTypes: true });
    metaValidator = ajv.compile(stepMetaSchema);
  }
  return { ok: metaValidator(value), errors: metaValidator.errors ?? [] };
}


/**
 * The folder holding Benchtop's package.json (name "benchtop"), found by walking up from this
 * module, so it works from source (vitest), from dist/cli/benchtop.js and from dist/electron/main.cjs.
 */
export function packageRoot(): string {
  const starts: string[] = [];
  if (typeof __dirname === 'string') starts.push(__dirname);
  const fromStack = moduleFileFromStack();
  if (fromStack) starts.push(dirname(fromStack));
  if (process.argv[1]) starts.push(dirname(process.argv[1]));
  starts.push(process.cwd());
  for (const start of starts) {
    let dir = resolve(start);
    for (;;) {
      try {
        const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown };
        if (pkg.name === 'benchtop') return dir;
      } catch {
        // no package.json here: keep walking up
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  throw new Error(`Cannot find Benchtop's package folder (a package.json named "benchtop") above ${starts.join(' or ')}.`);
}

/** This module's own file, from a stack trace (works in ESM and CommonJS alike). */
function moduleFileFromStack(): string | null {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const m = /(?:\(|at )((?:file:\/\/)?\/[^():]+):\d+:\d+\)?\s*$/.exec(line.trim());
    if (m?.[1]) return m[1].startsWith('file://') ? decodeURIComponent(new URL(m[1]).pathname) : m[1];
  }
  return null;
}

/**
 * The argv prefix that runs this Benchtop's CLI, for `{benchtop}`: `[node, <package>/bin/benchtop.js]`.
 * Inside Electron, process.execPath is Electron itself: the job must then run with
 * ELECTRON_RUN_AS_NODE=1 in its environment.
 */
export function benchtopCliPrefix(): string[] {
  return [process.execPath, join(packageRoot(), 'bin', 'benchtop.js')];
}

/** resources/steps of this Benchtop. */
export function builtinStepsDir(): string {
  return join(packageRoot(), 'resources', 'steps');
}

/**
 * Read every `*.json` step definition (not `*.schema.json`) in the built-in folder and the user's
 * folder, check each, and return the good ones; each bad file is one `{file, message}` naming the
 * JSON pointer of what is wrong, and never stops the others from loading. User steps come back
 * untrusted (`trusted: false`); `userFiles` holds the hash of exactly the bytes each was read from.
 */
export function loadStepCatalog(dirs: { builtin: string; user: string | null }): LoadedCatalog {
  const steps: StepDefinition[] = [];
  const errors: StepLoadError[] = [];
  const userFiles: LoadedCatalog['userFiles'] = [];
  const byId = new Map<string, StepDefinition>();
  for (const [source, dir] of [
    ['builtin', dirs.builtin],
    ['user', dirs.user],
  ] as const) {
    if (!dir) continue;
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.json') && !n.endsWith('.schema.json')).sort();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (source === 'user' && code === 'ENOENT') continue; // no user steps: nothing to load
      errors.push({ file: dir, message: `cannot read the ${source === 'builtin' ? 'built-in' : "workspace's"} steps folder: ${(err as Error).message}` });
      continue;
    }
    for (const name of names) {
      const file = join(dir, name);
      const { result, sha256 } = loadHashedDefinitionFile(file, source);
      if (source === 'user') userFiles.push({ name, sha256 });
      if ('message' in result) {
        errors.push({ file, message: result.message });
        continue;
      }
      const existing = byId.get(result.id);
      if (existing) {
        errors.push({
          file,
          message:
            existing.source === 'builtin' && source === 'user'
              ? `/id: "${result.id}" is a built-in step (${existing.file}); a step in the workspace may not redefine it: choose another id`
              : `/id: duplicate id "${result.id}", already defined by ${existing.file}`,
        });
        continue;
      }
      byId.set(result.id, result);
      steps.push(result);
    }
  }
  // Sources naming another step's output: a loaded step must declare that output (a typo otherwise).
  const good: StepDefinition[] = [];
  for (const step of steps) {
    const problems: string[] = [];
    step.sourcePaths = {};
    step.inputs.forEach((input, i) => {
      input.sources.forEach((src, j) => {
        if (!src.startsWith('step:')) return;
        const [, stepId = '', output = ''] = src.split(':');
        const other = byId.get(stepId);
        const out = other?.outputs.find((o) => o.name === output);
        if (other && !out) {
          problems.push(`/inputs/${i}/sources/${j}: step "${stepId}" has no output "${output}" (its outputs: ${other.outputs.map((o) => o.name).join(', ') || 'none'})`);
        }
        step.sourcePaths[src] = other && out ? `${stepId}/${out.path}` : null;
      });
    });
    if (problems.length) errors.push({ file: step.file, message: problems.join('; ') });
    else good.push(step);
  }
  return { steps: good, errors, userFiles };
}

type Loaded = { result: StepDefinition | { message: string }; sha256: string | null };

// Checked definitions by file, remembered while the file is unchanged (steps.list reads them often).
const fileCache = new Map<string, { key: string } & Loaded>();

/** Load and check one definition file: the step, or the reason it is refused. */
export function loadDefinitionFile(file: string, source: 'builtin' | 'user'): StepDefinition | { message: string } {
  return loadHashedDefinitionFile(file, source).result;
}

/** The checked definition, and the sha256 of the bytes it was read from (null when unreadable). */
function loadHashedDefinitionFile(file: string, source: 'builtin' | 'user'): Loaded {
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    return { result: { message: `cannot read: ${(err as Error).message}` }, sha256: null };
  }
  const key = `${source}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}\0${st.ino}`;
  const cached = fileCache.get(file);
  if (cached?.key === key) return cached;
  const loaded = readDefinitionFile(file, source, st);
  fileCache.set(file, { key, ...loaded });
  return loaded;
}

function readDefinitionFile(file: string, source: 'builtin' | 'user', st: { isFile(): boolean; size: number }): Loaded {
  let bytes: Buffer;
  try {
    if (!st.isFile()) return { result: { message: 'not a file' }, sha256: null };
    if (st.size > MAX_DEFINITION_BYTES) return { result: { message: `too large (${st.size} bytes; a step definition is at most 1 MB)` }, sha256: null };
    bytes = readFileSync(file);
  } catch (err) {
    return { result: { message: `cannot read: ${(err as Error).message}` }, sha256: null };
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  return { result: parseDefinition(bytes.toString('utf8'), source, resolve(file)), sha256 };
}

function parseDefinition(text: string, source: 'builtin' | 'user', file: string): StepDefinition | { message: string } {
  let json: unknown;
  try {
    json = parseStrictJson(text);
  } catch (err) {
    if (err instanceof DocumentKeyError) return { message: err.message };
    return { message: `not valid JSON: ${(err as Error).message}` };
  }
  const problems = checkDefinition(json);
  if (problems.length) return { message: problems.slice(0, 8).join('; ') + (problems.length > 8 ? `; and ${problems.length - 8} more` : '') };
  return toDefinition(json as Record<string, unknown>, source, file);
}

/** Every problem of a parsed definition, as `<JSON pointer>: <what>`; empty when it is good. */
export function checkDefinition(json: unknown): string[] {
  if (!isObject(json)) return ['/: a step definition is a JSON object'];
  const meta = validateMeta(json);
  // Template errors come from checkTemplate, which says precisely what is wrong with an element.
  const metaProblems = meta.errors
    .filter((e) => !e.instancePath.startsWith('/command/'))
    .map((e) => `${ajvPointer(e) || '/'}: ${metaReason(e)}`);
  const problems = [...new Set(metaProblems)];
  if (problems.length) return problems;

  const def = json as {
    tools: ToolRequirement[];
    inputs: StepInputDef[];
    outputs: StepOutputDef[];
    parameters: unknown;
    command: unknown;
  };
  const unique = (list: Array<{ name: string }>, what: string) =>
    list.forEach((item, i) => {
      if (list.findIndex((x) => x.name === item.name) !== i) problems.push(`/${what}/${i}/name: "${item.name}" is declared twice`);
    });
  const results = (json as { results?: unknown }).results;
  if (typeof results === 'string' && !resultParserIds().includes(results)) {
    problems.push(`/results: no results parser "${results}" (known: ${resultParserIds().join(', ')})`);
  }
  unique(def.tools, 'tools');
  unique(def.inputs, 'inputs');
  unique(def.outputs, 'outputs');

  def.outputs.forEach((o, i) => {
    const n = normalize(o.path);
    if (isAbsolute(o.path) || n === '..' || n.startsWith(`..${sep}`) || n === '.' || o.path.includes('\0')) {
      problems.push(`/outputs/${i}/path: must be a file path inside the step's folder, not ${JSON.stringify(o.path)}`);
    }
  });

  const params = checkParametersSchema(def.parameters);
  problems.push(...params.problems);

  def.inputs.forEach((input, i) => {
    if (!input.requiredWhen) return;
    const p = params.scope[input.requiredWhen.param];
    if (!p) {
      problems.push(`/inputs/${i}/requiredWhen/param: "${input.requiredWhen.param}" is not a parameter`);
      return;
    }
    input.requiredWhen.in.forEach((v, j) => {
      if (p.enum && !p.enum.includes(v)) problems.push(`/inputs/${i}/requiredWhen/in/${j}: ${JSON.stringify(v)} is not one of the parameter's values`);
    });
    if (input.optional) problems.push(`/inputs/${i}: "optional" and "requiredWhen" contradict each other`);
  });

  if (params.problems.length === 0) {
    problems.push(
      ...checkTemplate(def.command, {
        params: params.scope,
        inputs: Object.fromEntries(
          def.inputs.map((i) => [i.name, { optional: Boolean(i.optional), ...(i.requiredWhen ? { requiredWhen: i.requiredWhen } : {}) }]),
        ),
        outputs: new Set(def.outputs.map((o) => o.name)),
        tools: new Set(def.tools.map((t) => t.name)),
      }),
    );
  }
  return problems;
}

function metaReason(e: Parameters<typeof ajvReason>[0]): string {
  if (e.keyword === 'additionalProperties') return 'is not a field of a step definition here';
  if (e.keyword === 'pattern' && e.instancePath === '/id') return 'an id is a lowercase letter, then lowercase letters, digits or _ (at most 64)';
  return ajvReason(e);
}

function toDefinition(json: Record<string, unknown>, source: 'builtin' | 'user', file: string): StepDefinition {
  const tools = (json.tools as ToolRequirement[]).map((t) => ({
    name: t.name,
    versionArgs: [...t.versionArgs],
    debian: t.debian ?? null,
    conda: t.conda ?? null,
  }));
  return {
    id: json.id as string,
    name: json.name as string,
    description: (json.description as string | undefined) ?? '',
    pipeline: (json.pipeline as string | null | undefined) ?? null,
    version: (json.version as string | undefined) ?? '1',
    source,
    file,
    trusted: source === 'builtin',
    tools,
    inputs: json.inputs as StepInputDef[],
    outputs: json.outputs as StepOutputDef[],
    parameters: json.parameters as ParametersSchema,
    command: json.command as TemplateElement[],
    results: (json.results as string | null | undefined) ?? null,
    progress: json.progress === true,
    sourcePaths: {},
  };
}

/** A step as the renderer sees it. */
export function toStepInfo(step: StepDefinition): StepInfo {
  return {
    id: step.id,
    name: step.name,
    description: step.description,
    pipeline: step.pipeline,
    version: step.version,
    source: step.source,
    file: step.file,
    trusted: step.trusted,
    tools: step.tools.map((t) => ({ ...t, versionArgs: [...t.versionArgs] })),
    parameters: step.parameters as unknown as Record<string, unknown>,
    inputs: step.inputs.map((i) => ({
      name: i.name,
      label: i.label,
      ...(i.description !== undefined ? { description: i.description } : {}),
      ...(i.optional || i.requiredWhen ? { optional: true } : {}),
    })),
    outputs: step.outputs.map((o) => ({ name: o.name, label: o.label, ...(o.description !== undefined ? { description: o.description } : {}) })),
  };
}

/** Parameter defaults from the schema. */
export function stepDefaults(step: Pick<StepDefinition, 'parameters'>): Record<string, ParamScalar> {
  const out: Record<string, ParamScalar> = {};
  for (const [name, prop] of Object.entries(step.parameters.properties)) if (prop.default !== undefined) out[name] = prop.default;
  return out;
}

export function findStep(catalog: LoadedCatalog, id: string): StepDefinition | undefined {
  return catalog.steps.find((s) => s.id === id);
}
