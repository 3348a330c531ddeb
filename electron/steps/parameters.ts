import { ajvPointer, ajvReason, createParamsAjv, PATH_FORMATS, pointer } from './ajv';
import { slowPatternReason } from './regexSafety';
import { checkRulesShape } from './rules';
import { FILE_KINDS } from './sniff';
import type { ParamScalar } from './types';

const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const PARAM_TYPES = ['string', 'number', 'integer', 'boolean'] as const;
const TOP_KEYS = new Set(['type', 'title', 'description', 'properties', 'required', 'additionalProperties', 'x-ui', 'x-rules', '$comment']);
const COMMON_KEYS = new Set(['type', 'title', 'description', 'default', 'enum', 'examples', 'x-ui', '$comment', 'deprecated']);
const STRING_KEYS = new Set(['minLength', 'maxLength', 'pattern', 'format', 'x-file']);
const NUMBER_KEYS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']);

export interface ParamsCheck {
  problems: string[];
  /** Facts the template checker needs, when the schema is usable. */
  scope: Record<string, { type: string; enum?: ParamScalar[]; hasValue: boolean }>;
}

/**
 * Check a step's `parameters`: a flat object schema (properties of type string, number, integer or
 * boolean, enums of those), defaults valid against their property, `x-ui` naming real
 * properties, and the whole compiling with Ajv in strict mode. Problems are `<JSON pointer>: <what>`.
 */
export function checkParametersSchema(schema: unknown, base = '/parameters'): ParamsCheck {
  try {
    return check(schema, base);
  } finally {
    // Forget what was compiled for the check: definitions are re-read and must not accumulate.
    checker?.removeSchema();
  }
}

let checker: ReturnType<typeof createParamsAjv> | null = null;

function check(schema: unknown, base: string): ParamsCheck {
  const problems: string[] = [];
  const scope: ParamsCheck['scope'] = {};
  const at = (...segs: Array<string | number>) => base + pointer(...segs);
  if (!isObject(schema)) return { problems: [`${base}: must be a JSON Schema object`], scope };
  for (const key of Object.keys(schema)) {
    if (!TOP_KEYS.has(key)) problems.push(`${at(key)}: unknown keyword "${key}" (parameters are a flat object schema: ${[...TOP_KEYS].join(', ')})`);
  }
  if (schema.type !== 'object') problems.push(`${at('type')}: must be "object"`);
  if (schema.additionalProperties !== undefined && typeof schema.additionalProperties !== 'boolean') {
    problems.push(`${at('additionalProperties')}: must be true or false (parameters are flat)`);
  }
  const props = schema.properties ?? {};
  if (!isObject(props)) {
    problems.push(`${at('properties')}: must be an object of parameter schemas`);
    return { problems, scope };
  }
  const required = schema.required ?? [];
  if (!Array.isArray(required) || !required.every((r) => typeof r === 'string')) {
    problems.push(`${at('required')}: must be an array of parameter names`);
  } else {
    required.forEach((r, i) => {
      if (!Object.hasOwn(props, r)) problems.push(`${at('required', i)}: "${r}" is not a parameter`);
    });
  }
  const ajv = (checker ??= createParamsAjv());
  for (const [name, prop] of Object.entries(props)) {
    const here = (...segs: Array<string | number>) => at('properties', name, ...segs);
    if (!PARAM_NAME.test(name)) problems.push(`${here()}: a parameter name is a letter or _ then letters, digits or _ (at most 64)`);
    if (!isObject(prop)) {
      problems.push(`${here()}: must be a parameter schema object`);
      continue;
    }
    const type = prop.type;
    if (typeof type !== 'string' || !(PARAM_TYPES as readonly string[]).includes(type)) {
      problems.push(`${here('type')}: must be one of ${PARAM_TYPES.join(', ')} (an enum is one of these with "enum"; nested objects and arrays are not allowed)`);
      continue;
    }
    let ok = true;
    for (const key of Object.keys(prop)) {
      const fits = COMMON_KEYS.has(key) || (type === 'string' && STRING_KEYS.has(key)) || ((type === 'number' || type === 'integer') && NUMBER_KEYS.has(key));
      if (!fits) {
        ok = false;
        problems.push(
          STRING_KEYS.has(key) || NUMBER_KEYS.has(key)
            ? `${here(key)}: "${key}" does not apply to ${type === 'integer' ? 'an' : 'a'} ${type} parameter`
            : `${here(key)}: unknown keyword "${key}"`,
        );
      }
    }
    if (prop.format !== undefined && !(PATH_FORMATS as readonly unknown[]).includes(prop.format)) {
      ok = false;
      problems.push(`${here('format')}: must be one of ${PATH_FORMATS.join(', ')}`);
    }
    if (prop['x-file'] !== undefined && (prop.format !== 'file-path' || !(FILE_KINDS as readonly unknown[]).includes(prop['x-file']))) {
      ok = false;
      problems.push(`${here('x-file')}: a file-path parameter's kind of file, one of ${FILE_KINDS.join(', ')}`);
    }
    if (prop.pattern !== undefined) {
      if (typeof prop.pattern !== 'string') {
        ok = false;
        problems.push(`${here('pattern')}: must be a regular expression string`);
      } else {
        try {
          new RegExp(prop.pattern, 'u');
          // Ajv matches values with this pattern on the main process: a slow one would freeze the app.
          const slow = slowPatternReason(prop.pattern);
          if (slow) {
            ok = false;
            problems.push(`${here('pattern')}: parameter "${name}": pattern ${prop.pattern} could take exponential time (${slow}); simplify it`);
          }
        } catch (err) {
          ok = false;
          problems.push(`${here('pattern')}: not a valid regular expression: ${(err as Error).message}`);
        }
      }
    }
    if (prop.enum !== undefined) {
      if (!Array.isArray(prop.enum) || prop.enum.length === 0) {
        ok = false;
        problems.push(`${here('enum')}: must be a non-empty array`);
      } else {
        prop.enum.forEach((v, i) => {
          if (!fitsType(v, type)) {
            ok = false;
            problems.push(`${here('enum', i)}: ${JSON.stringify(v)} is not a ${type}`);
          }
        });
      }
    }
    const xui = prop['x-ui'];
    if (xui !== undefined && !isObject(xui)) problems.push(`${here('x-ui')}: must be an object of UI hints`);
    if (!ok) continue;
    // The property alone, compiled strictly (wrapped: Ajv ignores a default at a schema's root), then its default checked.
    if (!ajv.validateSchema(prop)) {
      for (const e of ajv.errors ?? []) problems.push(`${here()}${ajvPointer(e)}: ${ajvReason(e)}`);
      continue;
    }
    let validate;
    try {
      validate = ajv.compile({ type: 'object', properties: { value: prop } });
    } catch (err) {
      problems.push(`${here()}: ${(err as Error).message}`);
      continue;
    }
    if (prop.default !== undefined) {
      if (!validate({ value: prop.default })) {
        const e = validate.errors?.[0];
        problems.push(`${here('default')}: ${JSON.stringify(prop.default)} ${e ? ajvReason(e) : 'is not valid'}`);
        continue;
      }
    }
    scope[name] = {
      type,
      ...(Array.isArray(prop.enum) ? { enum: prop.enum as ParamScalar[] } : {}),
      hasValue: prop.default !== undefined || (Array.isArray(required) && required.includes(name)),
    };
  }
  checkUi(schema['x-ui'], props, at, problems);
  problems.push(...checkRulesShape(schema['x-rules'], props, at));
  if (problems.length === 0) {
    try {
      ajv.compile(schema);
    } catch (err) {
      problems.push(`${base}: ${(err as Error).message}`);
    }
  }
  return { problems, scope };
}

function checkUi(ui: unknown, props: Record<string, unknown>, at: (...s: Array<string | number>) => string, problems: string[]): void {
  if (ui === undefined) return;
  if (!isObject(ui)) {
    problems.push(`${at('x-ui')}: must be an object ({order, groups})`);
    return;
  }
  const names = (list: unknown, where: Array<string | number>) => {
    if (!Array.isArray(list)) {
      problems.push(`${at(...where)}: must be an array of parameter names`);
      return;
    }
    const seen = new Set<unknown>();
    list.forEach((n, i) => {
      if (typeof n !== 'string' || !Object.hasOwn(props, n)) problems.push(`${at(...where, i)}: ${JSON.stringify(n)} is not a parameter`);
      else if (seen.has(n)) problems.push(`${at(...where, i)}: "${n}" is listed twice`);
      seen.add(n);
    });
  };
  if (ui.order !== undefined) names(ui.order, ['x-ui', 'order']);
  if (ui.groups !== undefined) {
    if (!Array.isArray(ui.groups)) problems.push(`${at('x-ui', 'groups')}: must be an array of {title, fields}`);
    else {
      ui.groups.forEach((g, i) => {
        if (!isObject(g) || typeof g.title !== 'string') problems.push(`${at('x-ui', 'groups', i)}: a group is {"title": "…", "fields": [parameter names]}`);
        else names(g.fields, ['x-ui', 'groups', i, 'fields']);
      });
    }
  }
}

function fitsType(v: unknown, type: string): boolean {
  if (type === 'string') return typeof v === 'string';
  if (type === 'boolean') return typeof v === 'boolean';
  if (type === 'integer') return Number.isInteger(v);
  return typeof v === 'number' && Number.isFinite(v);
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
