/**
 * Workspace trust through the real handlers: a workspace that brings a hostile step definition
 * runs nothing of it (no job, no version probe) until the user trusts exactly that definition.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TERMINAL_JOB_STATUSES } from '../../shared/schemas/jobs';
import type { TrustState } from '../../shared/schemas/steps';
import { openTestSession, tempDirs } from '../../tests/tempWorkspace';
import type { Session } from '../api/session';

let dirs: ReturnType<typeof tempDirs>;
let session: Session;
let runMarker: string;
let probeMarker: string;
let evilFile: string;
let runId: string;

/** A definition whose command and whose tool's "version check" each leave a file behind when run. */
function evilDefinition(marker: string, probe: string) {
  return {
    id: 'evil',
    name: 'Tidy reads',
    description: 'Looks harmless.',
    version: '1',
    tools: [{ name: 'sh', versionArgs: ['-c', `touch ${probe}; echo 1.0`], debian: null, conda: null }],
    inputs: [],
    outputs: [],
    parameters: { type: 'object', additionalProperties: false, properties: {} },
    command: ['/bin/sh', '-c', `touch ${marker}`],
  };
}

beforeEach(async () => {
  dirs = tempDirs('benchtop-trust-');
  session = openTestSession(dirs);
  runMarker = join(dirs.root, 'RUN_MARKER');
  probeMarker = join(dirs.root, 'PROBE_MARKER');
  const stepsDir = session.workspace.layout.stepsDir;
  mkdirSync(stepsDir, { recursive: true });
  evilFile = join(stepsDir, 'evil.json');
  writeFileSync(evilFile, JSON.stringify(evilDefinition(runMarker, probeMarker)));
  const reads = join(dirs.root, 'r1.fastq');
  writeFileSync(reads, '@r1\nACGT\n+\nIIII\n');
  runId = (await session.call('runs.create', { name: 'trust test', inputs: [{ role: 'R1', path: reads }] })).id;
});
afterEach(async () => {
  await session.jobs.settled();
  session.close();
  dirs.cleanup();
});

async function waitForJob(id: number) {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; ) {
    if (TERMINAL_JOB_STATUSES.includes(session.jobs.get(id).status)) return session.jobs.get(id);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the job did not finish');
}

async function expectUntrusted(): Promise<void> {
  const jobsBefore = session.jobs.list({ runId }).length;
  const preflight = await session.call('steps.preflight', { runId, step: 'evil' });
  expect(preflight.ok).toBe(false);
  expect(preflight.argv).toBeNull();
  expect(preflight.problems).toEqual([{ kind: 'trust', field: null, message: expect.stringMatching(/^Not trusted: .*evil\.json.*run nothing until you trust the workspace/) }]);
  const start = await session.dispatch('jobs.start', { runId, step: 'evil' });
  expect(start).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('Not trusted') } });
  const tools = await session.call('tools.refresh', {});
  expect(tools.find((t) => t.name === 'sh')).toMatchObject({ found: false, version: null, error: expect.stringContaining('Not checked'), requiredBy: ['evil'] });
  expect(session.jobs.list({ runId })).toHaveLength(jobsBefore);
  expect(existsSync(runMarker)).toBe(false);
  expect(existsSync(probeMarker)).toBe(false);
}

describe('workspace trust', () => {
  it('an untrusted workspace lists its definitions and runs nothing; trusting exactly them lets them run; an edit asks again', async () => {
    const listed = await session.call('steps.list', {});
    expect(listed.steps.find((s) => s.id === 'evil')).toMatchObject({ source: 'user', trusted: false });
    expect(listed.steps.find((s) => s.id === 'cutadapt')).toMatchObject({ source: 'builtin', trusted: true });

    const state = await session.call('steps.trustState', {});
    expect(state).toEqual({
      workspace: realpathSync(dirs.workspace),
      trusted: false,
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      definitions: [
        {
          file: 'evil.json',
          stepId: 'evil',
          stepName: 'Tidy reads',
          programs: ['/bin/sh', 'sh'],
          commands: [`/bin/sh -c 'touch ${runMarker}'`, `sh -c touch ${probeMarker}; echo 1.0  (version check)`],
          problem: null,
        },
      ],
    } satisfies TrustState);
    await expectUntrusted();

    // A wrong hash (definitions other than the ones shown) is refused and trusts nothing.
    const wrong = await session.dispatch('steps.trust', { hash: '0'.repeat(64) });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringContaining('changed since they were shown') } });
    await expectUntrusted();

    const trusted = await session.call('steps.trust', { hash: state.hash! });
    expect(trusted).toMatchObject({ trusted: true, hash: state.hash });
    // Kept in the user's config folder, by the workspace's real path; nothing written into the workspace.
    const file = JSON.parse(readFileSync(join(dirs.config, 'trust.json'), 'utf8')) as { workspaces: Record<string, { hash: string }> };
    expect(file.workspaces[realpathSync(dirs.workspace)]?.hash).toBe(state.hash);
    expect(existsSync(join(dirs.workspace, 'trust.json'))).toBe(false);

    const preflight = await session.call('steps.preflight', { runId, step: 'evil' });
    expect(preflight).toMatchObject({ ok: true, argv: ['/bin/sh', '-c', `touch ${runMarker}`] });
    expect(existsSync(probeMarker)).toBe(true); // now its version check did run
    const job = await session.call('jobs.start', { runId, step: 'evil' });
    expect((await waitForJob(job.id)).status).toBe('completed');
    expect(existsSync(runMarker)).toBe(true);

    // Editing the definition makes the workspace untrusted again.
    rmSync(runMarker);
    rmSync(probeMarker);
    writeFileSync(evilFile, JSON.stringify({ ...evilDefinition(runMarker, probeMarker), description: 'Edited.' }));
    const again = await session.call('steps.trustState', {});
    expect(again.trusted).toBe(false);
    expect(again.hash).not.toBe(state.hash);
    await expectUntrusted();
    // So does adding one beside it.
    await session.call('steps.trust', { hash: again.hash! });
    writeFileSync(join(session.workspace.layout.stepsDir, 'second.json'), JSON.stringify({ ...evilDefinition(runMarker, probeMarker), id: 'second' }));
    expect((await session.call('steps.trustState', {})).trusted).toBe(false);
  });

  it('the same folder through a link is the same workspace; built-in steps and a workspace without its own need no trust', async () => {
    const state = await session.call('steps.trustState', {});
    await session.call('steps.trust', { hash: state.hash! });
    session.close();
    const link = join(dirs.root, 'link');
    symlinkSync(dirs.workspace, link);
    session = openTestSession({ workspace: link, config: dirs.config });
    expect((await session.call('steps.trustState', {})).trusted).toBe(true);
    session.close();

    const plain = tempDirs('benchtop-trust-plain-');
    session = openTestSession(plain);
    try {
      expect(await session.call('steps.trustState', {})).toEqual({ workspace: realpathSync(plain.workspace), trusted: true, hash: null, definitions: [] });
      expect((await session.call('steps.list', {})).steps.every((s) => s.trusted)).toBe(true);
    } finally {
      session.close();
      plain.cleanup();
    }
    session = openTestSession(dirs);
  });

  const built = join(import.meta.dirname, '../../dist/cli/benchtop.js');
  it.skipIf(!existsSync(built))('benchtop steps trust prints what it trusts; steps list shows trusted or not', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(import.meta.dirname, '../../bin/benchtop.js'), ...args, '--workspace', dirs.workspace], {
        encoding: 'utf8',
        cwd: dirs.root,
        env: { ...process.env, BENCHTOP_CONFIG_DIR: dirs.config, BENCHTOP_WORKSPACE: '' },
        timeout: 60_000,
        input: '',
      });
    const before = cli('steps', 'list');
    expect(before.status, before.stderr).toBe(0);
    expect(before.stdout).toMatch(/\nevil\s+Tidy reads\s+workspace\s+NOT TRUSTED/);
    expect(before.stdout).toMatch(/\ncutadapt\s+.*built in/);

    const refused = cli('steps', 'trust');
    expect(refused.status).not.toBe(0);
    expect(refused.stdout).toContain('evil.json');
    expect(refused.stdout).toContain('/bin/sh');
    expect(refused.stderr).toContain('--yes');
    expect(existsSync(join(dirs.config, 'trust.json'))).toBe(false);

    const yes = cli('steps', 'trust', '--yes', '--json');
    expect(yes.status, yes.stderr).toBe(0);
    expect(JSON.parse(yes.stdout)).toMatchObject({ trusted: true, definitions: [{ file: 'evil.json', programs: ['/bin/sh', 'sh'] }] });
    const after = cli('steps', 'list', '--json');
    expect((JSON.parse(after.stdout) as { steps: Array<{ id: string; trusted: boolean }> }).steps.find((s) => s.id === 'evil')?.trusted).toBe(true);
    expect(existsSync(runMarker)).toBe(false);
  });
});
