import type { ParamValue } from '../../../shared/schemas/runs';

/** One parameter of a step, read from its JSON Schema property: what its form field needs. */
export interface FieldSpec {
  name: string;
  title: string;
  description: string | null;
  type: 'string' | 'number' | 'integer' | 'boolean';
  required: boolean;
  enumValues: (string | number)[] | null;
  defaultValue: ParamValue | undefined;
  minimum: number | null;
  maximum: number | null;
  exclusiveMinimum: number | null;
  exclusiveMaximum: number | null;
  pattern: string | null;
  patternMessage: string | null;
  placeholder: string | null;
  format: 'file-path' | 'dir-path' | null;
  minLength: number | null;
  maxLength: number | null;
}

export interface FieldGroup {
  title: string | null;
  fields: FieldSpec[];
}

/** The form's state: what the user sees in each field (numbers as typed text). */
export type FormValues = Record<string, string | boolean>;

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

function fieldType(prop: Json): FieldSpec['type'] {
  const t = Array.isArray(prop.type) ? prop.type.find((x) => x !== 'null') : prop.type;
  if (t === 'number' || t === 'integer' || t === 'boolean') return t;
  return 'string';
}

/** The fields of a step's parameter schema, in `x-ui.order` and `x-ui.groups` order (the rest after, by name order in the schema). */
export function schemaFields(schema: Record<string, unknown>): FieldGroup[] {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === 'string') : []);
  const ui = isObject(schema['x-ui']) ? schema['x-ui'] : {};
  const fields = new Map<string, FieldSpec>();
  for (const [name, raw] of Object.entries(properties)) {
    if (!isObject(raw)) continue;
    const propUi = isObject(raw['x-ui']) ? raw['x-ui'] : {};
    const format = raw.format === 'file-path' || raw.format === 'dir-path' ? raw.format : null;
    fields.set(name, {
      name,
      title: str(raw.title) ?? name,
      description: str(raw.description),
      type: fieldType(raw),
      required: required.has(name),
      enumValues: Array.isArray(raw.enum) ? raw.enum.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number') : null,
      defaultValue: raw.default as ParamValue | undefined,
      minimum: num(raw.minimum),
      maximum: num(raw.maximum),
      exclusiveMinimum: num(raw.exclusiveMinimum),
      exclusiveMaximum: num(raw.exclusiveMaximum),
      pattern: str(raw.pattern),
      patternMessage: str(propUi.patternMessage),
      placeholder: str(propUi.placeholder),
      format,
      minLength: num(raw.minLength),
      maxLength: num(raw.maxLength),
    });
  }

  const order = Array.isArray(ui.order) ? ui.order.filter((n): n is string => typeof n === 'string' && fields.has(n)) : [];
  const rank = (name: string) => {
    const i = order.indexOf(name);
    return i === -1 ? order.length + [...fields.keys()].indexOf(name) : i;
  };
  const byRank = (a: FieldSpec, b: FieldSpec) => rank(a.name) - rank(b.name);

  const groups: FieldGroup[] = [];
  const placed = new Set<string>();
  for (const g of Array.isArray(ui.groups) ? ui.groups : []) {
    if (!isObject(g) || !Array.isArray(g.fields)) continue;
    const members = g.fields
      .filter((n): n is string => typeof n === 'string' && fields.has(n) && !placed.has(n))
      .map((n) => fields.get(n)!)
      .sort(byRank);
    members.forEach((f) => placed.add(f.name));
    if (members.length > 0) groups.push({ title: str(g.title), fields: members });
  }
  const rest = [...fields.values()].filter((f) => !placed.has(f.name)).sort(byRank);
  if (rest.length > 0) groups.unshift({ title: groups.length > 0 ? 'General' : null, fields: rest });
  // Ungrouped fields named first in x-ui.order lead; otherwise they go last.
  if (groups.length > 1 && rest.length > 0 && !(order.length > 0 && rest.some((f) => order.includes(f.name)))) {
    groups.push(groups.shift()!);
  }
  return groups;
}

/** What a field shows at first: the run's stored value, else the schema default, else empty. */
export function initialValues(groups: FieldGroup[], stored: Record<string, ParamValue> | undefined): FormValues {
  const values: FormValues = {};
  for (const f of groups.flatMap((g) => g.fields)) {
    const v = stored && f.name in stored && stored[f.name] !== null ? stored[f.name] : f.defaultValue;
    if (f.type === 'boolean') values[f.name] = v === true;
    else values[f.name] = v === undefined || v === null ? '' : String(v);
  }
  return values;
}

/**
 * The form as step parameters: numbers parsed (left as typed text when they are not numbers, so the
 * server's validation names the problem), enums back to their schema type, empty fields `null`
 * (back to the default).
 */
export function toParams(groups: FieldGroup[], values: FormValues): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const f of groups.flatMap((g) => g.fields)) {
    const v = values[f.name];
    if (f.type === 'boolean') {
      params[f.name] = v === true;
      continue;
    }
    const text = typeof v === 'string' ? v : '';
    if (text.trim() === '') {
      params[f.name] = null;
      continue;
    }
    if (f.enumValues) {
      const match = f.enumValues.find((e) => String(e) === text);
      params[f.name] = match ?? text;
      continue;
    }
    if (f.type === 'number' || f.type === 'integer') {
      const n = Number(text.trim());
      params[f.name] = Number.isFinite(n) ? n : text;
      continue;
    }
    params[f.name] = text;
  }
  return params;
}

/** A short local check of one field, shown as the user types (the server's preflight has the last word). */
export function localProblem(f: FieldSpec, value: string | boolean | undefined): string | null {
  if (f.type === 'boolean') return null;
  const text = typeof value === 'string' ? value : '';
  if (text.trim() === '') return f.required && f.defaultValue === undefined ? 'Required.' : null;
  if (f.type === 'number' || f.type === 'integer') {
    const n = Number(text.trim());
    if (!Number.isFinite(n)) return 'Must be a number.';
    if (f.type === 'integer' && !Number.isInteger(n)) return 'Must be a whole number.';
    if (f.minimum !== null && n < f.minimum) return `Must be at least ${f.minimum}.`;
    if (f.maximum !== null && n > f.maximum) return `Must be at most ${f.maximum}.`;
    if (f.exclusiveMinimum !== null && n <= f.exclusiveMinimum) return `Must be more than ${f.exclusiveMinimum}.`;
    if (f.exclusiveMaximum !== null && n >= f.exclusiveMaximum) return `Must be less than ${f.exclusiveMaximum}.`;
    return null;
  }
  if (f.pattern && !f.enumValues) {
    try {
      if (!new RegExp(f.pattern, 'u').test(text)) return f.patternMessage ? `Must ${f.patternMessage.replace(/^must /, '')}.` : `Must match ${f.pattern}.`;
    } catch {
      return null;
    }
  }
  if (f.maxLength !== null && text.length > f.maxLength) return `At most ${f.maxLength} characters.`;
  return null;
}

/** "0 – 1", "≥ 1", "< 1": the bounds of a number field, for its hint. */
export function boundsHint(f: FieldSpec): string | null {
  const lo = f.minimum !== null ? `≥ ${f.minimum}` : f.exclusiveMinimum !== null ? `> ${f.exclusiveMinimum}` : null;
  const hi = f.maximum !== null ? `≤ ${f.maximum}` : f.exclusiveMaximum !== null ? `< ${f.exclusiveMaximum}` : null;
  if (lo && hi) return `${lo}, ${hi}`;
  return lo ?? hi;
}
