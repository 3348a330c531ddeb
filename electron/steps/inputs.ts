import { statSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import type { PreflightProblem } from '../../shared/schemas/steps';
import type { RunInput } from '../../shared/schemas/runs';
import { stepDefaults } from './loader';
import type { StepDefinition, StepInputDef } from './types';

export interface ResolveInputsContext {
  /** Absolute path of the run's folder. */
  runDir: string;
  /** The run's input files (paths relative to the run's folder). */
  inputs: RunInput[];
  /** The parameters the step will run with: decide inputs that are `requiredWhen` a value (defaults otherwise). */
  params?: Record<string, unknown>;
  /** The catalog, to place `step:<id>:<output>` sources when the definition did not come from loadStepCatalog. */
  steps?: StepDefinition[];
}

/**
 * Find each input's file: the first of its sources that exists (`step:<id>:<output>` in the run's
 * step folder, `input:<ROLE>` among the run's inputs). A required input with none is a problem
 * naming the input and everything that was looked for.
 */
export function resolveStepInputs(
  step: Pick<StepDefinition, 'id' | 'inputs' | 'parameters' | 'sourcePaths'>,
  ctx: ResolveInputsContext,
): { inputs: Record<string, string>; problems: PreflightProblem[] } {
  const inputs: Record<string, string> = {};
  const problems: PreflightProblem[] = [];
  const params = { ...stepDefaults(step), ...withoutNulls(ctx.params ?? {}) };
  for (const input of step.inputs) {
    const looked: string[] = [];
    let found: string | null = null;
    for (const source of input.sources) {
      const candidate = locate(step, source, ctx, looked);
      if (candidate && isFile(candidate)) {
        found = candidate;
        break;
      }
    }
    if (found) inputs[input.name] = found;
    else if (isRequired(input, params)) {
      problems.push({
        kind: 'input',
        field: input.name,
        message: `${input.label} (${input.name}): no file found — looked for ${looked.join(', then ')}`,
      });
    }
  }
  return { inputs, problems };
}

function locate(step: Pick<StepDefinition, 'sourcePaths'>, source: string, ctx: ResolveInputsContext, looked: string[]): string | null {
  const [kind, a = '', b = ''] = source.split(':');
  if (kind === 'step') {
    let rel = step.sourcePaths[source];
    if (rel === undefined && ctx.steps) {
      const out = ctx.steps.find((s) => s.id === a)?.outputs.find((o) => o.name === b);
      rel = out ? `${a}/${out.path}` : null;
    }
    if (!rel) {
      looked.push(`the output "${b}" of step ${a} (no such step is loaded)`);
      return null;
    }
    looked.push(`${a}'s output ${b} (${rel})`);
    return join(ctx.runDir, rel);
  }
  if (kind === 'input') {
    const match = ctx.inputs.find((i) => i.role === a);
    if (!match) {
      looked.push(`the run's ${a} input (the run has ${ctx.inputs.length ? ctx.inputs.map((i) => i.role).join(', ') : 'no inputs'})`);
      return null;
    }
    looked.push(`the run's ${a} input (${match.path})`);
    const n = normalize(match.path);
    if (isAbsolute(match.path) || n === '..' || n.startsWith(`..${sep}`)) return null;
    const abs = join(ctx.runDir, n);
    const rel = relative(ctx.runDir, abs);
    return rel.startsWith('..') || isAbsolute(rel) ? null : abs;
  }
  looked.push(`${source} (not a known kind of source)`);
  return null;
}

function isRequired(input: StepInputDef, params: Record<string, unknown>): boolean {
  if (input.optional) return false;
  if (input.requiredWhen) return input.requiredWhen.in.some((v) => v === params[input.requiredWhen?.param ?? '']);
  return true;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

function withoutNulls(params: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== null && v !== undefined));
}
