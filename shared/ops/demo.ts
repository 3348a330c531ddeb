import { z } from 'zod';
import { op } from './define';

export const DemoStep = z.object({
  step: z.string(),
  status: z.enum(['completed', 'failed', 'skipped']),
  /** Why it was skipped or failed (a missing tool, the job's last words). */
  note: z.string().nullable(),
});
export type DemoStep = z.infer<typeof DemoStep>;

/** What `benchtop demo --json` prints, and what the Dashboard's demo button receives at the end. */
export const DemoSummary = z.object({
  workspace: z.string(),
  dataDir: z.string(),
  experiments: z.array(z.string()),
  libId: z.string(),
  basecallRunId: z.string(),
  /** A second basecall run, registered and not ingested: ready for SMA analysis. */
  pendingBasecallRunId: z.string(),
  ingestRunId: z.string(),
  qslamRunId: z.string(),
  steps: z.array(DemoStep),
  seconds: z.number(),
});
export type DemoSummary = z.infer<typeof DemoSummary>;

/** The demo's build, as the Dashboard follows it: one line per stage, then the end. */
export const DemoProgress = z.object({
  state: z.enum(['running', 'done', 'failed']),
  workspace: z.string(),
  line: z.string().nullable(),
  error: z.string().nullable(),
});
export type DemoProgress = z.infer<typeof DemoProgress>;

export const demoOps = {
  'demo.create': op(
    'Build the demo workspace (default ~/Benchtop-demo) with generated data, in a separate process; progress comes as demo.progress events, and the app switches to it when it is ready',
    z.object({ workspace: z.string().min(1).max(4096).optional() }).strict(),
    z.object({ workspace: z.string() }),
  ),
  'demo.status': op('Where the demo build is (null when none was started since the app opened)', z.object({}).strict(), DemoProgress.nullable()),
} as const;
