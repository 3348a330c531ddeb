import type { PreflightProblem } from '../../shared/schemas/steps';
import type { ParamRule, ParameterProperty } from './types';

/**
 * Cross-field rules of a step's parameters (`parameters["x-rules"]`): a comparison of two numeric
 * parameters, `{"lhs": "enhancer_left", "op": ">=", "rhs": "promoter_left", "message": "…"}`,
 * which JSON Schema cannot say of a flat object. Checked at preflight, reported on the lhs field.
 */
export const RULE_OPS = ['<', '<=', '>', '>=', '!='] as const;

/** What is wrong with the rules block of a definition, as `<JSON pointer>: <what>` problems. */
export function checkRulesShape(rules: unknown, props: Record<string, unknown>, at: (...segs: Array<string | number>) => string): string[] {
  if (rules === undefined) return [];
  if (!Array.isArray(rules)) return [`${at('x-rules')}: must be an array of {lhs, op, rhs, message}`];
  const problems: string[] = [];
  rules.forEach((rule: unknown, i) => {
    const here = (key?: string) => (key ? at('x-rules', i, key) : at('x-rules', i));
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) {
      problems.push(`${here()}: a rule is {"lhs": parameter, "op": ${RULE_OPS.map((o) => `"${o}"`).join('|')}, "rhs": parameter, "message": "…"}`);
      return;
    }
    const r = rule as Record<string, unknown>;
    for (const key of Object.keys(r)) if (!['lhs', 'op', 'rhs', 'message'].includes(key)) problems.push(`${here(key)}: unknown keyword "${key}"`);
    for (const side of ['lhs', 'rhs'] as const) {
      const name = r[side];
      const prop = typeof name === 'string' ? (props[name] as { type?: unknown } | undefined) : undefined;
      if (typeof name !== 'string' || !prop) problems.push(`${here(side)}: ${JSON.stringify(name)} is not a parameter`);
      else if (prop.type !== 'number' && prop.type !== 'integer') problems.push(`${here(side)}: "${name}" is not a number parameter`);
    }
    if (!(RULE_OPS as readonly unknown[]).includes(r.op)) problems.push(`${here('op')}: must be one of ${RULE_OPS.join(' ')}`);
    if (typeof r.message !== 'string' || r.message.trim() === '') problems.push(`${here('message')}: must say, in words, what the rule asks`);
  });
  return problems;
}

function holds(lhs: number, op: ParamRule['op'], rhs: number): boolean {
  switch (op) {
    case '<':
      return lhs < rhs;
    case '<=':
      return lhs <= rhs;
    case '>':
      return lhs > rhs;
    case '>=':
      return lhs >= rhs;
    case '!=':
      return lhs !== rhs;
  }
}

/** The rules the given values break (both sides set and numbers; a missing value is another check's to report). */
export function brokenRules(rules: ParamRule[] | undefined, values: Record<string, unknown>, props: Record<string, ParameterProperty>): PreflightProblem[] {
  const problems: PreflightProblem[] = [];
  for (const rule of rules ?? []) {
    const lhs = values[rule.lhs];
    const rhs = values[rule.rhs];
    if (typeof lhs !== 'number' || typeof rhs !== 'number' || holds(lhs, rule.op, rhs)) continue;
    const label = props[rule.lhs]?.title ?? rule.lhs;
    problems.push({ kind: 'param', field: rule.lhs, message: `${label}: ${rule.message} (now ${lhs}, against ${rhs})` });
  }
  return problems;
}
