import { join } from 'node:path';
import type { IfElement, IfSetElement, ParamScalar, StepDefinition, TemplateElement } from './types';

/** A parsed template string: literal text and placeholders, in order. */
export type TemplatePart = { text: string } | { kind: PlaceholderKind; name: string | null; raw: string };
export type PlaceholderKind = 'params' | 'inputs' | 'outputs' | 'tool' | 'step_dir' | 'run_dir' | 'threads' | 'benchtop';

const NAMED: ReadonlySet<string> = new Set(['params', 'inputs', 'outputs', 'tool']);
const BARE: ReadonlySet<string> = new Set(['step_dir', 'run_dir', 'threads', 'benchtop']);
const PLACEHOLDER = /^([a-z_]+)(?:\.([A-Za-z0-9_][A-Za-z0-9_+-]*))?$/;

export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateError';
  }
}

/**
 * Split `"-o{step_dir}/x"` into literal text and placeholders. `{{` and `}}` stand for literal
 * braces; any other `{` must open a known placeholder.
 */
export function parseTemplateString(s: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let text = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '{' && s[i + 1] === '{') {
      text += '{';
      i += 2;
    } else if (c === '}' && s[i + 1] === '}') {
      text += '}';
      i += 2;
    } else if (c === '{') {
      const end = s.indexOf('}', i + 1);
      if (end < 0) throw new TemplateError(`unclosed "{" at character ${i + 1} of ${JSON.stringify(s)} (write {{ for a literal brace)`);
      const raw = s.slice(i + 1, end);
      const m = PLACEHOLDER.exec(raw);
      const kind = m?.[1];
      const name = m?.[2] ?? null;
      if (!m || !kind || !(NAMED.has(kind) ? name !== null : BARE.has(kind) && name === null)) {
        throw new TemplateError(
          `unknown placeholder {${raw}} (known: {params.NAME}, {inputs.NAME}, {outputs.NAME}, {tool.NAME}, {step_dir}, {run_dir}, {threads}, {benchtop}; write {{ for a literal brace)`,
        );
      }
      if (text) parts.push({ text });
      text = '';
      parts.push({ kind: kind as PlaceholderKind, name, raw: `{${raw}}` });
      i = end + 1;
    } else {
      text += c;
      i += 1;
    }
  }
  if (text) parts.push({ text });
  return parts;
}

export function isIf(el: unknown): el is IfElement {
  return typeof el === 'object' && el !== null && 'if' in el;
}
export function isIfSet(el: unknown): el is IfSetElement {
  return typeof el === 'object' && el !== null && 'ifSet' in el;
}

/** What a template may refer to: the step's declared names. */
export interface TemplateScope {
  params: Record<string, { type: string; enum?: ParamScalar[]; hasValue: boolean }>;
  inputs: Record<string, { optional: boolean; requiredWhen?: { param: string; in: ParamScalar[] } }>;
  outputs: ReadonlySet<string>;
  tools: ReadonlySet<string>;
}

type Guard = { ref: string; in?: ParamScalar[] };

/**
 * Check a `command` template against the step's declarations; returns problems as
 * `<JSON pointer>: <what is wrong>`. An optional parameter without a default, or an optional
 * input, may only be used under an `ifSet`/`if` on itself, so a built argv never has holes.
 */
export function checkTemplate(command: unknown, scope: TemplateScope, base = '/command'): string[] {
  const problems: string[] = [];
  if (!Array.isArray(command)) return [`${base}: must be an array of strings and conditions`];
  if (command.length === 0) return [`${base}: must not be empty`];
  walk(command, base, [], scope, problems);
  return problems;
}

function walk(elements: unknown[], at: string, guards: Guard[], scope: TemplateScope, problems: string[]): void {
  elements.forEach((el, index) => {
    const here = `${at}/${index}`;
    if (typeof el === 'string') {
      checkString(el, here, guards, scope, problems);
    } else if (isIf(el) || isIfSet(el)) {
      const key = isIf(el) ? 'if' : 'ifSet';
      const allowed = key === 'if' ? ['if', 'in', 'then', 'else'] : ['ifSet', 'then', 'else'];
      for (const k of Object.keys(el)) if (!allowed.includes(k)) problems.push(`${here}/${k}: unknown key in an "${key}" element (allowed: ${allowed.join(', ')})`);
      const ref = (el as unknown as Record<string, unknown>)[key];
      const refOk = checkConditionRef(ref, `${here}/${key}`, scope, problems);
      let values: ParamScalar[] | undefined;
      if (isIf(el) && el.in !== undefined) {
        if (!Array.isArray(el.in) || el.in.length === 0 || !el.in.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) {
          problems.push(`${here}/in: must be a non-empty array of strings, numbers or booleans`);
        } else if (refOk && typeof ref === 'string') {
          values = el.in;
          const [kind, name] = ref.split('.') as [string, string];
          const param = kind === 'params' ? scope.params[name] : undefined;
          if (kind !== 'params') problems.push(`${here}/in: "in" compares a parameter's value; ${ref} is not a parameter`);
          else if (param?.enum) {
            el.in.forEach((v, i) => {
              if (!param.enum?.includes(v)) problems.push(`${here}/in/${i}: ${JSON.stringify(v)} is not one of ${name}'s values (${param.enum?.map((e) => JSON.stringify(e)).join(', ')})`);
            });
          }
        }
      }
      const guard: Guard | null = refOk && typeof ref === 'string' ? { ref, ...(values ? { in: values } : {}) } : null;
      if (!Array.isArray(el.then)) problems.push(`${here}/then: must be an array of strings and conditions`);
      else walk(el.then, `${here}/then`, guard ? [...guards, guard] : guards, scope, problems);
      if (el.else !== undefined) {
        if (!Array.isArray(el.else)) problems.push(`${here}/else: must be an array of strings and conditions`);
        else walk(el.else, `${here}/else`, guards, scope, problems);
      }
    } else {
      problems.push(`${here}: must be a string, an {"if": …} or an {"ifSet": …} element`);
    }
  });
}

function checkConditionRef(ref: unknown, at: string, scope: TemplateScope, problems: string[]): boolean {
  if (typeof ref !== 'string') {
    problems.push(`${at}: must be "params.NAME" or "inputs.NAME"`);
    return false;
  }
  const [kind, name, extra] = ref.split('.');
  if (extra !== undefined || !name || (kind !== 'params' && kind !== 'inputs')) {
    problems.push(`${at}: ${JSON.stringify(ref)} must be "params.NAME" or "inputs.NAME"`);
    return false;
  }
  if (kind === 'params' && !scope.params[name]) {
    problems.push(`${at}: ${JSON.stringify(ref)} names no parameter (parameters: ${Object.keys(scope.params).join(', ') || 'none'})`);
    return false;
  }
  if (kind === 'inputs' && !scope.inputs[name]) {
    problems.push(`${at}: ${JSON.stringify(ref)} names no input (inputs: ${Object.keys(scope.inputs).join(', ') || 'none'})`);
    return false;
  }
  return true;
}

function checkString(s: string, at: string, guards: Guard[], scope: TemplateScope, problems: string[]): void {
  let parts: TemplatePart[];
  try {
    parts = parseTemplateString(s);
  } catch (err) {
    problems.push(`${at}: ${(err as Error).message}`);
    return;
  }
  for (const part of parts) {
    if ('text' in part) continue;
    const { kind, name, raw } = part;
    if (kind === 'benchtop' && s !== '{benchtop}') {
      problems.push(`${at}: {benchtop} must be a whole element on its own (it expands to several argv elements)`);
    } else if (kind === 'params' && name !== null) {
      const param = scope.params[name];
      if (!param) problems.push(`${at}: ${raw} names no parameter (parameters: ${Object.keys(scope.params).join(', ') || 'none'})`);
      else if (!param.hasValue && !guards.some((g) => g.ref === `params.${name}`)) {
        problems.push(`${at}: ${raw} is optional and has no default: use it inside {"ifSet": "params.${name}", "then": [...]}`);
      }
    } else if (kind === 'inputs' && name !== null) {
      const input = scope.inputs[name];
      if (!input) problems.push(`${at}: ${raw} names no declared input (inputs: ${Object.keys(scope.inputs).join(', ') || 'none'})`);
      else if (!inputAlwaysThere(name, input, guards)) {
        const hint = input.requiredWhen
          ? `{"if": "params.${input.requiredWhen.param}", "in": [${input.requiredWhen.in.map((v) => JSON.stringify(v)).join(', ')}], "then": [...]}`
          : `{"ifSet": "inputs.${name}", "then": [...]}`;
        problems.push(`${at}: ${raw} is an optional input: use it inside ${hint}`);
      }
    } else if (kind === 'outputs' && name !== null && !scope.outputs.has(name)) {
      problems.push(`${at}: ${raw} names no declared output (outputs: ${[...scope.outputs].join(', ') || 'none'})`);
    } else if (kind === 'tool' && name !== null && !scope.tools.has(name)) {
      problems.push(`${at}: ${raw} names no declared tool (tools: ${[...scope.tools].join(', ') || 'none'})`);
    }
  }
}

function inputAlwaysThere(name: string, input: TemplateScope['inputs'][string], guards: Guard[]): boolean {
  if (guards.some((g) => g.ref === `inputs.${name}`)) return true;
  const when = input.requiredWhen;
  if (when) return guards.some((g) => g.ref === `params.${when.param}` && g.in !== undefined && g.in.every((v) => when.in.includes(v)));
  return !input.optional;
}

/** What buildArgv substitutes. */
export interface ArgvContext {
  params: Record<string, unknown>;
  /** Absolute paths of the resolved inputs, by input name. */
  inputs: Record<string, string>;
  stepDir: string;
  runDir: string;
  /** Absolute paths of the resolved tools, by tool name. */
  tools: Record<string, string>;
  /** The argv prefix that runs Benchtop's CLI: `[process.execPath, <abs path of bin/benchtop.js>]`. */
  benchtop: string[];
  threads: number;
}

/** True for boolean true, a non-empty string, a non-zero number. */
export function truthy(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  return false;
}

export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== '';
}

/**
 * The argv a step runs: every string element becomes exactly one argv element, values inserted
 * literally (never split, never interpreted by a shell); `{benchtop}` alone expands to the CLI prefix.
 * Throws on a placeholder it cannot fill (the loader refuses such templates, so this means a bug or
 * a context missing something).
 */
export function buildArgv(step: Pick<StepDefinition, 'id' | 'command' | 'outputs'>, ctx: ArgvContext): string[] {
  const argv: string[] = [];
  const conditionValue = (ref: string, at: string): unknown => {
    const [kind, name] = ref.split('.');
    if (kind === 'params' && name) return ctx.params[name];
    if (kind === 'inputs' && name) return ctx.inputs[name];
    throw new TemplateError(`step ${step.id}: ${at}: cannot evaluate condition ${JSON.stringify(ref)}`);
  };
  const emit = (elements: TemplateElement[], at: string): void => {
    elements.forEach((el, index) => {
      const here = `${at}/${index}`;
      if (typeof el === 'string') {
        if (el === '{benchtop}') {
          if (!Array.isArray(ctx.benchtop) || ctx.benchtop.length === 0) throw new TemplateError(`step ${step.id}: ${here}: {benchtop} needs the CLI prefix, and none was given`);
          argv.push(...ctx.benchtop);
        } else {
          argv.push(substitute(step, el, ctx, here));
        }
      } else if (isIf(el)) {
        const v = conditionValue(el.if, here);
        const yes = el.in !== undefined ? el.in.some((x) => x === v) : truthy(v);
        emit(yes ? el.then : (el.else ?? []), yes ? `${here}/then` : `${here}/else`);
      } else if (isIfSet(el)) {
        const yes = isSet(conditionValue(el.ifSet, here));
        emit(yes ? el.then : (el.else ?? []), yes ? `${here}/then` : `${here}/else`);
      } else {
        throw new TemplateError(`step ${step.id}: ${here}: not a template element`);
      }
    });
  };
  emit(step.command, '/command');
  return argv;
}

function substitute(step: Pick<StepDefinition, 'id' | 'outputs'>, s: string, ctx: ArgvContext, at: string): string {
  let parts: TemplatePart[];
  try {
    parts = parseTemplateString(s);
  } catch (err) {
    throw new TemplateError(`step ${step.id}: ${at}: ${(err as Error).message}`);
  }
  let out = '';
  for (const part of parts) {
    if ('text' in part) {
      out += part.text;
      continue;
    }
    const fail = (why: string): never => {
      throw new TemplateError(`step ${step.id}: ${at}: ${part.raw} ${why}`);
    };
    switch (part.kind) {
      case 'params': {
        const v = ctx.params[part.name ?? ''];
        if (v === undefined || v === null) fail('has no value');
        if (typeof v === 'string') out += v;
        else if (typeof v === 'number') out += Number.isFinite(v) ? String(v) : fail('is not a finite number');
        else if (typeof v === 'boolean') out += v ? 'true' : 'false';
        else fail(`has a value that is not text, a number or true/false`);
        break;
      }
      case 'inputs': {
        const v = ctx.inputs[part.name ?? ''];
        if (typeof v !== 'string' || v === '') fail('was not resolved to a file');
        out += v;
        break;
      }
      case 'outputs': {
        const o = step.outputs.find((x) => x.name === part.name);
        if (!o) fail('names no declared output');
        else out += join(ctx.stepDir, o.path);
        break;
      }
      case 'tool': {
        const v = ctx.tools[part.name ?? ''];
        if (typeof v !== 'string' || v === '') fail('was not resolved: probe the tool first');
        out += v;
        break;
      }
      case 'step_dir':
        out += ctx.stepDir;
        break;
      case 'run_dir':
        out += ctx.runDir;
        break;
      case 'threads':
        if (!Number.isInteger(ctx.threads) || ctx.threads < 1) fail(`must be a whole number ≥ 1, not ${String(ctx.threads)}`);
        out += String(ctx.threads);
        break;
      case 'benchtop':
        fail('must be a whole element on its own');
    }
  }
  return out;
}
