/** The `builtin` results parser: the results.json a built-in step wrote itself. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { StepResult } from '../../shared/schemas/results';
import { ReportError, readJson } from './report';

export function parseBuiltinStep(stepDir: string): StepResult | null {
  const file = join(stepDir, 'results.json');
  if (!existsSync(file)) return null;
  const parsed = StepResult.safeParse(readJson(file));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ReportError(file, `not a valid step result (${issue ? `${issue.path.join('.') || '(top)'}: ${issue.message}` : 'invalid'})`);
  }
  return parsed.data;
}
