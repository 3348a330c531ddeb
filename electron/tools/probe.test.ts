import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkExecutable, extractVersion, findOnPath, invalidateTools, probeTool, probeTools, resolveTool, runVersionProbe, toolRequirements } from './index';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'benchtop-tools-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function script(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('extractVersion', () => {
  it.each([
    [['FastQC v0.12.1\n'], '0.12.1'],
    [['4.2\n'], '4.2'],
    [['', 'fastp 0.23.2\n'], '0.23.2'],
    [['', '\nProgram: bwa (alignment via Burrows-Wheeler transformation)\nVersion: 0.7.17-r1188\nContact: Heng Li\n'], '0.7.17-r1188'],
    [['samtools 1.16.1\nUsing htslib 1.16\nCopyright (C) 2022 Genome Research Ltd.\n'], '1.16.1'],
    [['bedtools v2.30.0\n'], '2.30.0'],
    [['bwa-mem2 2.2.1\n'], '2.2.1'],
    [['This is cutadapt 4.2 with Python 3.11.2\n'], '4.2'],
    [['usage: tool [options]\n'], null],
  ])('%j → %s', (outputs, expected) => {
    expect(extractVersion(...outputs)).toBe(expected);
  });
});

describe('probing the real tools', () => {
  const reqs = [
    { name: 'cutadapt', versionArgs: ['--version'], debian: 'cutadapt', conda: 'bioconda::cutadapt' },
    { name: 'fastqc', versionArgs: ['--version'], debian: 'fastqc', conda: 'bioconda::fastqc' },
    { name: 'fastp', versionArgs: ['--version'], debian: 'fastp', conda: 'bioconda::fastp' },
    { name: 'bwa', versionArgs: [], debian: 'bwa', conda: 'bioconda::bwa' },
    { name: 'samtools', versionArgs: ['--version'], debian: 'samtools', conda: 'bioconda::samtools' },
    { name: 'bedtools', versionArgs: ['--version'], debian: 'bedtools', conda: 'bioconda::bedtools' },
  ];

  it('finds each on PATH with its version (bwa exits 1 but prints one)', async () => {
    const infos = await probeTools(reqs, {});
    for (const info of infos) {
      expect(info, info.name).toMatchObject({ found: true, custom: false, error: null });
      expect(info.path).toMatch(new RegExp(`/${info.name}$`));
      expect(info.version, info.name).toMatch(/^\d+\.\d+(\.\d+)?(-r\d+)?$/);
    }
    expect(infos.find((t) => t.name === 'bwa')?.version).toMatch(/^0\.7\.\d+-r\d+$/);
  });

  it('a missing tool says what was looked for and how to install it', async () => {
    const info = await probeTool({ name: 'benchtop-no-such-tool', versionArgs: ['--version'], debian: 'no-such-pkg', conda: 'bioconda::no-such' }, null, { envPath: `/usr/bin:relative/dir:${dir}` });
    expect(info).toMatchObject({ name: 'benchtop-no-such-tool', found: false, path: null, version: null, custom: false, install: { debian: 'no-such-pkg', conda: 'bioconda::no-such' } });
    expect(info.error).toBe(`No executable named "benchtop-no-such-tool" in any PATH folder (/usr/bin:${dir}); install it or set its path.`);
  });

  it('a custom path is used instead of PATH; an unusable one is reported', async () => {
    const fake = script('fake-cutadapt', 'echo "fake cutadapt 9.8.7" >&2; exit 3');
    const info = await probeTool({ name: 'cutadapt', versionArgs: ['--version'], debian: 'cutadapt', conda: null }, fake);
    expect(info).toMatchObject({ found: true, custom: true, path: fake, version: '9.8.7', error: null });
    const missing = await probeTool({ name: 'cutadapt', versionArgs: [], debian: 'cutadapt', conda: null }, join(dir, 'nothing'));
    expect(missing).toMatchObject({ found: false, custom: true, path: join(dir, 'nothing') });
    expect(missing.error).toMatch(/custom path for cutadapt is unusable: .*does not exist/);
    const notExec = join(dir, 'plain');
    writeFileSync(notExec, 'x');
    expect(checkExecutable(notExec)).toBe(`${notExec} is not executable`);
    expect(checkExecutable(dir)).toBe(`${dir} is not a file`);
    expect(checkExecutable('relative/tool')).toMatch(/not an absolute path/);
    expect(resolveTool('cutadapt', fake)).toBe(fake);
    expect(resolveTool('cutadapt', notExec)).toBeNull();
    expect(resolveTool('cutadapt')).toBe(findOnPath('cutadapt'));
  });

  it('a probe that prints no version, fails or hangs says so', async () => {
    const quiet = script('quiet', 'echo "usage: quiet" >&2; exit 2');
    expect(await runVersionProbe(quiet, ['--version'])).toEqual({ version: null, error: `\`${quiet} --version\` exited with code 2 and printed no version: usage: quiet` });
    // a child of the probe that would outlive a kill of the probe alone
    const slow = script('slow', `(sleep 1; touch ${join(dir, 'survived')}) & sleep 5; echo 1.0`);
    const t0 = Date.now();
    expect((await runVersionProbe(slow, [], 300)).error).toBe(`\`${slow}\` did not finish within 0.3 s`);
    expect(Date.now() - t0).toBeLessThan(4000);
    await new Promise((r) => setTimeout(r, 1500));
    // the whole process group was killed: nothing ran on after the timeout
    expect(existsSync(join(dir, 'survived'))).toBe(false);
  });

  it('versions are cached until the executable changes or the cache is refreshed', async () => {
    const counter = join(dir, 'count');
    writeFileSync(counter, '');
    const tool = script('counted', `echo x >> ${counter}; echo "counted 1.0.0"`);
    const req = { name: 'counted', versionArgs: [], debian: null, conda: null };
    const runs = () => readFileSync(counter, 'utf8').split('\n').filter(Boolean).length;
    expect((await probeTool(req, tool)).version).toBe('1.0.0');
    expect((await probeTool(req, tool)).version).toBe('1.0.0');
    expect(runs()).toBe(1);
    invalidateTools('counted');
    await probeTool(req, tool);
    expect(runs()).toBe(2);
    script('counted', `echo x >> ${counter}; echo "counted 2.0.0-beta"`);
    expect((await probeTool(req, tool)).version).toBe('2.0.0-beta');
    expect(runs()).toBe(3);
    invalidateTools();
    await probeTool(req, tool);
    expect(runs()).toBe(4);
  });
});

describe('toolRequirements', () => {
  it('merges the tools of all steps, remembering which steps need each', () => {
    const t = (name: string, debian: string | null = null) => ({ name, versionArgs: ['--version'], debian, conda: null });
    expect(toolRequirements([{ id: 'a', tools: [t('x'), t('y', 'ypkg')] }, { id: 'b', tools: [t('x', 'xpkg')] }])).toEqual([
      { name: 'x', versionArgs: ['--version'], debian: 'xpkg', conda: null, requiredBy: ['a', 'b'] },
      { name: 'y', versionArgs: ['--version'], debian: 'ypkg', conda: null, requiredBy: ['a'] },
    ]);
  });
});
