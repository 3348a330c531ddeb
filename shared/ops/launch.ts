import { z } from 'zod';
import { JobInfo } from '../schemas/jobs';
import { StepParams } from '../schemas/runs';
import { StepResult } from '../schemas/results';
import { Preflight } from '../schemas/steps';
import { op } from './define';

const StepOfRun = {
  runId: z.string().min(1).max(64),
  step: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/),
};

const LaunchRequest = z
  .object({
    ...StepOfRun,
    /** Overrides of the run's stored parameters for this step; `null` clears one back to its default. */
    params: StepParams.optional(),
  })
  .strict();

export const launchOps = {
  'steps.preflight': op(
    "Whether a step can be launched on a run now: its tools, inputs and parameters, and the argv it would run",
    LaunchRequest,
    Preflight,
  ),
  'jobs.start': op(
    'Launch a step on a run as a new attempt (queued as pending beyond the concurrency limit); the parameters are stored on the run',
    LaunchRequest,
    JobInfo,
  ),
  'results.get': op(
    "What a step of a run produced (null before it has produced anything)",
    z.object(StepOfRun).strict(),
    StepResult.nullable(),
  ),
} as const;
