/**
 * Workspace trust, as VS Code does it: the step definitions a workspace brings in its own `steps/`
 * folder run nothing (no job, no version probe) until the user has trusted that workspace. The
 * decision is the user's, so it lives in their config folder (`trust.json` beside settings.json),
 * never in the workspace, which could otherwise ship its own "trusted" marker. It is kept by the
 * workspace's real path and the hash of its definitions: an edited, added or removed definition
 * asks again.
 */
import { createHash } from 'node:crypto';
import { readFileSync, realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { TrustedDefinition } from '../../shared/schemas/steps';
import { writeJsonAtomically } from '../workspace/settings';
import type { LoadedCatalog, StepDefinition, TemplateElement } from './types';

const TrustFile = z.object({
  workspaces: z.record(z.string(), z.object({ hash: z.string(), trustedAt: z.string() })),
});
type TrustFile = z.infer<typeof TrustFile>;

export function trustFile(configDir: string): string {
  return join(configDir, 'trust.json');
}

/** The path trust is kept under: the workspace folder with its links resolved. */
export function workspaceKey(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** sha256 over the definition files' names and contents (sorted by name); null when there are none. */
export function definitionsHash(userFiles: LoadedCatalog['userFiles']): string | null {
  if (userFiles.length === 0) return null;
  const hash = createHash('sha256');
  const sorted = [...userFiles].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const f of sorted) hash.update(`${f.name}\0${f.sha256 ?? 'unreadable'}\n`);
  return hash.digest('hex');
}

/** A missing or unreadable trust file trusts nothing. */
function readTrustFile(configDir: string): TrustFile {
  try {
    const parsed = TrustFile.safeParse(JSON.parse(readFileSync(trustFile(configDir), 'utf8')));
    return parsed.success ? parsed.data : { workspaces: {} };
  } catch {
    return { workspaces: {} };
  }
}

/** Whether definitions with this hash may run in this workspace (no definitions: nothing to trust). */
export function isTrusted(configDir: string, workspace: string, hash: string | null): boolean {
  if (hash === null) return true;
  return readTrustFile(configDir).workspaces[workspaceKey(workspace)]?.hash === hash;
}

/** Remember that the user trusts these definitions (by hash) in this workspace. */
export function recordTrust(configDir: string, workspace: string, hash: string, now = new Date()): void {
  const file = readTrustFile(configDir);
  file.workspaces[workspaceKey(workspace)] = { hash, trustedAt: now.toISOString() };
  writeJsonAtomically(trustFile(configDir), file);
}

/** The programs a definition would start: its command's first element and each tool it declares. */
function programsOf(step: StepDefinition): string[] {
  const programs: string[] = [];
  const head = step.command[0];
  if (typeof head === 'string') {
    const tool = /^\{tool\.([^}]+)\}$/.exec(head)?.[1];
    programs.push(tool ?? (head === '{benchtop}' ? 'benchtop (this Benchtop)' : head));
  } else programs.push('(chosen by a condition on the parameters)');
  for (const t of step.tools) if (!programs.includes(t.name)) programs.push(t.name);
  return programs;
}

function templateText(elements: TemplateElement[]): string {
  return elements
    .map((e) => {
      if (typeof e === 'string') return /[\s'"]/.test(e) || e === '' ? `'${e.replace(/'/g, "'\\''")}'` : e;
      const when = 'ifSet' in e ? `if ${e.ifSet} is set` : `if ${e.if}${e.in ? ` in ${e.in.join('|')}` : ''}`;
      return `[${when}: ${templateText(e.then)}${e.else ? ` else ${templateText(e.else)}` : ''}]`;
    })
    .join(' ');
}

/** Each definition file of the workspace's `steps/` folder, with what it would run (for the trust prompt). */
export function describeDefinitions(catalog: LoadedCatalog, stepsDir: string): TrustedDefinition[] {
  return catalog.userFiles.map(({ name }) => {
    const path = join(stepsDir, name);
    const step = catalog.steps.find((s) => s.source === 'user' && s.file === resolve(path));
    const error = catalog.errors.find((e) => e.file === path);
    return {
      file: name,
      stepId: step?.id ?? null,
      stepName: step?.name ?? null,
      programs: step ? programsOf(step) : [],
      commands: step ? [templateText(step.command), ...step.tools.map((t) => `${t.name} ${t.versionArgs.join(' ')}  (version check)`)] : [],
      problem: step ? null : (error?.message ?? 'did not load'),
    };
  });
}
