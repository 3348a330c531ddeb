import { z } from 'zod';

export const ToolRequirement = z.object({
  name: z.string(),
  /** argv that prints the version, e.g. ["cutadapt", "--version"]. */
  versionArgs: z.array(z.string()),
  debian: z.string().nullable(),
  conda: z.string().nullable(),
});

export const StepIo = z.object({
  name: z.string(),
  label: z.string(),
  description: z.string().optional(),
  optional: z.boolean().optional(),
});

/** A step as the renderer sees it: enough to draw its form and explain what it needs. */
export const StepInfo = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  pipeline: z.string().nullable(),
  version: z.string(),
  source: z.enum(['builtin', 'user']),
  file: z.string(),
  /** False for a workspace's own step until the user trusts that workspace: it runs nothing. */
  trusted: z.boolean(),
  tools: z.array(ToolRequirement),
  /** JSON Schema (2020-12 subset) of the parameters, with `x-ui` hints. */
  parameters: z.record(z.string(), z.unknown()),
  inputs: z.array(StepIo),
  outputs: z.array(StepIo),
});
export type StepInfo = z.infer<typeof StepInfo>;

export const StepLoadError = z.object({ file: z.string(), message: z.string() });

export const StepCatalog = z.object({ steps: z.array(StepInfo), errors: z.array(StepLoadError) });

export const PreflightProblem = z.object({
  kind: z.enum(['tool', 'input', 'param', 'run', 'trust']),
  /** The parameter, input or tool it is about. */
  field: z.string().nullable(),
  message: z.string(),
});
export type PreflightProblem = z.infer<typeof PreflightProblem>;

export const Preflight = z.object({
  ok: z.boolean(),
  problems: z.array(PreflightProblem),
  /** The argv that Launch would run, when ok. */
  argv: z.array(z.string()).nullable(),
});
export type Preflight = z.infer<typeof Preflight>;

export const ToolInfo = z.object({
  name: z.string(),
  requiredBy: z.array(z.string()),
  found: z.boolean(),
  path: z.string().nullable(),
  version: z.string().nullable(),
  custom: z.boolean(),
  error: z.string().nullable(),
  install: z.object({ debian: z.string().nullable(), conda: z.string().nullable() }),
});
export type ToolInfo = z.infer<typeof ToolInfo>;

/** One definition file of a workspace's own `steps/` folder, as the trust prompt shows it. */
export const TrustedDefinition = z.object({
  /** The file name inside `<workspace>/steps/`. */
  file: z.string(),
  stepId: z.string().nullable(),
  stepName: z.string().nullable(),
  /** The programs it would start: its command's program and each tool it names. */
  programs: z.array(z.string()),
  /** Its command template and its tools' version checks, as text. */
  commands: z.array(z.string()),
  /** Why it did not load (it runs nothing then), or null. */
  problem: z.string().nullable(),
});
export type TrustedDefinition = z.infer<typeof TrustedDefinition>;

/** Whether the open workspace's own step definitions may run (workspace trust, kept per user, never in the workspace). */
export const TrustState = z.object({
  /** The workspace folder, links resolved: the trust is kept under this path. */
  workspace: z.string(),
  /** True when it has no definitions of its own, or the user trusted exactly these. */
  trusted: z.boolean(),
  /** sha256 over the definition files (names and contents); null when there are none. */
  hash: z.string().nullable(),
  definitions: z.array(TrustedDefinition),
});
export type TrustState = z.infer<typeof TrustState>;
