import Ajv2020 from 'ajv/dist/2020.js';
import type { ErrorObject } from 'ajv/dist/2020.js';

/** The path formats a parameter may declare; their existence is checked by validateStepParams. */
export const PATH_FORMATS = ['file-path', 'dir-path'] as const;

/**
 * The Ajv that compiles and runs parameter schemas: draft 2020-12, strict (an unknown keyword is an
 * error, except the `x-ui` hints), defaults filled in, no type coercion, every error reported.
 */
export function createParamsAjv(): Ajv2020 {
  // `pattern`s are matched with `new RegExp(p, 'u')` (unicodeRegExp, and no other `code.regExp`
  // engine): the same flags the load-time check of slow patterns (regexSafety.ts) assumes.
  const ajv = new Ajv2020({ strict: true, allErrors: true, useDefaults: true, coerceTypes: false, allowUnionTypes: false, unicodeRegExp: true });
  ajv.addKeyword({ keyword: 'x-ui', schemaType: 'object' });
  // Cross-field rules: their shape is checked by the loader (rules.ts), their values at preflight.
  ajv.addKeyword({ keyword: 'x-rules', schemaType: 'array' });
  // The kind of file a path names (sniff.ts): checked on its first bytes at preflight.
  ajv.addKeyword({ keyword: 'x-file', schemaType: 'string' });
  // Only their shape is checked here: whether the file or folder exists is validateStepParams' job.
  for (const format of PATH_FORMATS) ajv.addFormat(format, { type: 'string', validate: () => true });
  return ajv;
}

/** A plain-words sentence for one Ajv error, without the field name. */
export function ajvReason(err: ErrorObject, patternMessage?: string): string {
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'maximum':
      return `must be ≤ ${String(p.limit)}`;
    case 'minimum':
      return `must be ≥ ${String(p.limit)}`;
    case 'exclusiveMaximum':
      return `must be < ${String(p.limit)}`;
    case 'exclusiveMinimum':
      return `must be > ${String(p.limit)}`;
    case 'multipleOf':
      return `must be a multiple of ${String(p.multipleOf)}`;
    case 'type':
      return `must be ${typeWords(String(p.type))}`;
    case 'enum':
      return `must be one of ${((p.allowedValues as unknown[]) ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(p.allowedValue)}`;
    case 'pattern':
      return patternMessage ?? `must match the pattern ${String(p.pattern)}`;
    case 'minLength':
      return Number(p.limit) === 1 ? 'must not be empty' : `must be at least ${String(p.limit)} characters long`;
    case 'maxLength':
      return `must be at most ${String(p.limit)} characters long`;
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field';
    case 'format':
      return `must be a ${String(p.format).replace('-', ' ')}`;
    default:
      return err.message ?? `fails ${err.keyword}`;
  }
}

function typeWords(type: string): string {
  const words: Record<string, string> = {
    number: 'a number',
    integer: 'a whole number',
    boolean: 'true or false',
    string: 'text',
    object: 'an object',
    array: 'an array',
    null: 'null',
  };
  return type
    .split(',')
    .map((t) => words[t] ?? t)
    .join(' or ');
}

/** The JSON pointer an Ajv error is about (for `required`/`additionalProperties`: the property itself). */
export function ajvPointer(err: ErrorObject): string {
  const p = err.params as Record<string, unknown>;
  if (err.keyword === 'required' && typeof p.missingProperty === 'string') return `${err.instancePath}/${escapePointer(p.missingProperty)}`;
  if (err.keyword === 'additionalProperties' && typeof p.additionalProperty === 'string') {
    return `${err.instancePath}/${escapePointer(p.additionalProperty)}`;
  }
  return err.instancePath;
}

export function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

export function pointer(...segments: Array<string | number>): string {
  return segments.map((s) => `/${escapePointer(String(s))}`).join('');
}
