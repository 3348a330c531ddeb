import { accessSync, constants, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { PreflightProblem } from '../../shared/schemas/steps';
import { ajvPointer, ajvReason, createParamsAjv } from './ajv';
import { brokenRules } from './rules';
import { wrongFileKind } from './sniff';
import type { ParamScalar, StepDefinition } from './types';

const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(step: Pick<StepDefinition, 'parameters'>): ValidateFunction {
  let v = compiled.get(step.parameters);
  if (!v) {
    v = createParamsAjv().compile(step.parameters);
    compiled.set(step.parameters, v);
  }
  return v;
}

export type ValidatedParams = { ok: true; params: Record<string, ParamScalar> } | { ok: false; problems: PreflightProblem[] };

/**
 * Check parameters against the step's schema (Ajv: defaults filled in, no type coercion, every
 * problem reported) and check file-path / dir-path parameters on disk. A null value means "not
 * set" (its default applies), as does "" for a path. Problems name the field: `r1_error_rate: must be ≤ 1`.
 */
export function validateStepParams(step: Pick<StepDefinition, 'parameters'>, params: Record<string, unknown>): ValidatedParams {
  const props = step.parameters.properties;
  const data: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === null || value === undefined) continue;
    if (value === '' && props[name]?.format !== undefined) continue;
    data[name] = typeof value === 'string' && props[name]?.format !== undefined ? expandHome(value) : value;
  }
  const validate = validatorFor(step);
  const problems: PreflightProblem[] = [];
  if (!validate(data)) {
    const seen = new Set<string>();
    for (const err of validate.errors ?? []) {
      const field = ajvPointer(err).replace(/^\//, '').split('/')[0] ?? '';
      const prop = props[field];
      const hint = prop?.['x-ui']?.patternMessage;
      const message = `${field || 'parameters'}: ${ajvReason(err, typeof hint === 'string' ? hint : undefined)}`;
      if (seen.has(message)) continue;
      seen.add(message);
      problems.push({ kind: 'param', field: field || null, message });
    }
  }
  for (const [name, prop] of Object.entries(props)) {
    const value = data[name];
    if (typeof value !== 'string' || !prop.format || problems.some((p) => p.field === name)) continue;
    const why = checkPath(value, prop.format) ?? (prop.format === 'file-path' && prop['x-file'] ? wrongFileKind(value, prop['x-file']) : null);
    if (why) problems.push({ kind: 'param', field: name, message: `${name}: ${why}` });
  }
  problems.push(...brokenRules(step.parameters['x-rules'], data, props).filter((p) => !problems.some((q) => q.field === p.field)));
  if (problems.length) return { ok: false, problems };
  return { ok: true, params: data as Record<string, ParamScalar> };
}

function expandHome(p: string): string {
  if (p === '~') return homedir();
  if (p.startsWith('~/')) return join(homedir(), p.slice(2));
  return p;
}

/** Why a path parameter is unusable, or null. */
export function checkPath(value: string, format: 'file-path' | 'dir-path'): string | null {
  const what = format === 'file-path' ? 'file' : 'folder';
  if (!isAbsolute(value)) return `must be the absolute path of a ${what}, not ${JSON.stringify(value)}`;
  if (value.includes('\0')) return 'must not contain a NUL character';
  try {
    const st = statSync(value);
    if (format === 'file-path' && !st.isFile()) return `${value} is not a file`;
    if (format === 'dir-path' && !st.isDirectory()) return `${value} is not a folder`;
    accessSync(value, format === 'file-path' ? constants.R_OK : constants.R_OK | constants.X_OK);
    return null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return `${value} does not exist`;
    if (code === 'EACCES' || code === 'EPERM') return `${value} is not readable`;
    return `${value}: ${(err as Error).message}`;
  }
}

/**
 * Turn the text of a parameter (`--param k=v` on the command line) into its typed value, by the
 * schema: numbers for number/integer, true/false for boolean, text otherwise. Throws on a value
 * that cannot be converted or a name that is not a parameter.
 */
export function parseParamText(step: Pick<StepDefinition, 'id' | 'parameters'>, name: string, text: string): ParamScalar | null {
  const prop = step.parameters.properties[name];
  if (!prop) {
    const known = Object.keys(step.parameters.properties).join(', ') || 'none';
    throw new Error(`${name}: is not a parameter of step ${step.id} (its parameters: ${known})`);
  }
  if (text === '' && prop.type !== 'string') return null;
  switch (prop.type) {
    case 'number':
    case 'integer': {
      const n = Number(text.trim());
      if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`${name}: must be a number, not ${JSON.stringify(text)}`);
      return n;
    }
    case 'boolean': {
      const t = text.trim().toLowerCase();
      if (['true', 'yes', '1', 'on'].includes(t)) return true;
      if (['false', 'no', '0', 'off'].includes(t)) return false;
      throw new Error(`${name}: must be true or false, not ${JSON.stringify(text)}`);
    }
    default:
      return text;
  }
}
