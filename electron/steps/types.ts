import type { z } from 'zod';
import type { ToolRequirement } from '../../shared/schemas/steps';

export type ToolRequirement = z.infer<typeof ToolRequirement>;

/** A value a parameter can hold once validated. */
export type ParamScalar = string | number | boolean;

/** One element of a `command` template: a string (exactly one argv element) or a condition. */
export type TemplateElement = string | IfElement | IfSetElement;

/** `{ "if": "params.X", "then": [...], "else": [...] }`; with `in`, true when X is one of the listed values. */
export interface IfElement {
  if: string;
  in?: ParamScalar[];
  then: TemplateElement[];
  else?: TemplateElement[];
}

/** `{ "ifSet": "params.X", "then": [...] }`: X present and not null or "". */
export interface IfSetElement {
  ifSet: string;
  then: TemplateElement[];
  else?: TemplateElement[];
}

export interface StepInputDef {
  name: string;
  label: string;
  description?: string;
  /** `step:<stepId>:<outputName>` or `input:<ROLE>`; the first that exists wins. */
  sources: string[];
  optional?: boolean;
  /** Required only when a parameter has one of these values (e.g. qc's trimmed reads when qc_stage is after|both). */
  requiredWhen?: { param: string; in: ParamScalar[] };
}

export interface StepOutputDef {
  name: string;
  label: string;
  description?: string;
  /** Relative to the step's folder. */
  path: string;
}

export interface ParameterProperty {
  type: 'string' | 'number' | 'integer' | 'boolean';
  title?: string;
  description?: string;
  default?: ParamScalar;
  enum?: ParamScalar[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: 'file-path' | 'dir-path';
  /** The kind of file a file-path names, checked on its first bytes at preflight (sniff.ts). */
  'x-file'?: 'fasta' | 'fastq' | 'bam';
  examples?: unknown[];
  'x-ui'?: Record<string, unknown>;
}

export interface ParametersSchema {
  type: 'object';
  title?: string;
  description?: string;
  properties: Record<string, ParameterProperty>;
  required?: string[];
  additionalProperties?: boolean;
  'x-ui'?: { order?: string[]; groups?: Array<{ title: string; description?: string; fields: string[] }>; [key: string]: unknown };
  /** Cross-field rules, checked at preflight (rules.ts). */
  'x-rules'?: ParamRule[];
}

/** `lhs op rhs` must hold between two numeric parameters; `message` says so in words. */
export interface ParamRule {
  lhs: string;
  op: '<' | '<=' | '>' | '>=' | '!=';
  rhs: string;
  message: string;
}

/** A loaded, checked step definition (resources/steps/<id>.json or <workspace>/steps/<id>.json). */
export interface StepDefinition {
  id: string;
  name: string;
  description: string;
  pipeline: string | null;
  version: string;
  source: 'builtin' | 'user';
  /** Absolute path of the definition file. */
  file: string;
  /** Whether it may run: built-in steps always; a workspace's own only once the user trusted that workspace. */
  trusted: boolean;
  tools: ToolRequirement[];
  inputs: StepInputDef[];
  outputs: StepOutputDef[];
  parameters: ParametersSchema;
  command: TemplateElement[];
  /** Id of the results parser, or null. */
  results: string | null;
  /** The step prints `##progress <done> <total|-> <unit>` lines. */
  progress: boolean;
  /**
   * For each `step:<id>:<output>` source of this step's inputs: that output's path relative to the
   * run folder (`cutadapt/R1.trimmed.fastq.gz`), or null when no loaded step declares it. Filled in
   * by loadStepCatalog.
   */
  sourcePaths: Record<string, string | null>;
}

export interface StepLoadError {
  file: string;
  message: string;
}

export interface LoadedCatalog {
  steps: StepDefinition[];
  errors: StepLoadError[];
  /** Every definition file of the user's folder (loaded or not), by name, with the sha256 of its bytes. */
  userFiles: Array<{ name: string; sha256: string | null }>;
}
