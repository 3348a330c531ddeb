import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildArgv, checkDefinition, parseTemplateString, validateStepParams, type StepDefinition, type TemplateElement } from './index';

function testStep(command: TemplateElement[], properties: Record<string, unknown> = {}): StepDefinition {
  return {
    id: 'test',
    name: 'Test',
    description: '',
    pipeline: null,
    version: '1',
    source: 'user',
    trusted: true,
    file: '/x/test.json',
    tools: [{ name: 'printf', versionArgs: ['--version'], debian: 'coreutils', conda: null }],
    inputs: [{ name: 'r1', label: 'R1', sources: ['input:R1'] }],
    outputs: [{ name: 'out', label: 'Out', path: 'sub/out.txt' }],
    parameters: { type: 'object', additionalProperties: false, properties: properties as StepDefinition['parameters']['properties'] },
    command,
    results: null,
    progress: false,
    sourcePaths: {},
  };
}

const ctx = (params: Record<string, unknown>) => ({
  params,
  inputs: { r1: '/run/rawdata/my reads.fq' },
  stepDir: '/run/test',
  runDir: '/run',
  tools: { printf: '/usr/bin/printf' },
  benchtop: ['/usr/bin/node', '/opt/benchtop/bin/benchtop.js'],
  threads: 8,
});

describe('parseTemplateString', () => {
  it('splits text and placeholders; {{ }} are literal braces', () => {
    expect(parseTemplateString('-o{step_dir}/x_{params.n}.txt')).toEqual([
      { text: '-o' },
      { kind: 'step_dir', name: null, raw: '{step_dir}' },
      { text: '/x_' },
      { kind: 'params', name: 'n', raw: '{params.n}' },
      { text: '.txt' },
    ]);
    expect(parseTemplateString('{{print $1}}')).toEqual([{ text: '{print $1}' }]);
    expect(() => parseTemplateString('{nope}')).toThrow(/unknown placeholder \{nope\}/);
    expect(() => parseTemplateString('{params}')).toThrow(/unknown placeholder/);
    expect(() => parseTemplateString('{threads.x}')).toThrow(/unknown placeholder/);
  });
});

describe('buildArgv', () => {
  it('substitutes every placeholder, one argv element per string', () => {
    const step = testStep(['{tool.printf}', '%s\\n', '{inputs.r1}', '{outputs.out}', '{step_dir}', '{run_dir}', '-t{threads}', '{params.x}', '{params.on}', '{params.rate}'], {
      x: { type: 'string' },
      on: { type: 'boolean', default: false },
      rate: { type: 'number', default: 0.25 },
    });
    expect(buildArgv(step, ctx({ x: 'a b', on: false, rate: 0.25 }))).toEqual([
      '/usr/bin/printf', '%s\\n', '/run/rawdata/my reads.fq', '/run/test/sub/out.txt', '/run/test', '/run', '-t8', 'a b', 'false', '0.25',
    ]);
  });

  it('{benchtop} alone expands to the CLI prefix', () => {
    expect(buildArgv(testStep(['{benchtop}', 'builtin', 'readlen', '--out', '{step_dir}']), ctx({}))).toEqual([
      '/usr/bin/node', '/opt/benchtop/bin/benchtop.js', 'builtin', 'readlen', '--out', '/run/test',
    ]);
    expect(() => buildArgv(testStep(['{benchtop}']), { ...ctx({}), benchtop: [] })).toThrow(/\{benchtop\} needs the CLI prefix/);
  });

  it('if: truthy values; in: listed values; ifSet: present and not empty', () => {
    const step = testStep(
      [
        { if: 'params.flag', then: ['--flag'], else: ['--no-flag'] },
        { if: 'params.n', then: ['n'] },
        { if: 'params.s', then: ['s'] },
        { if: 'params.mode', in: ['a', 'b'], then: ['mode-ab'], else: ['mode-other'] },
        { ifSet: 'params.opt', then: ['--opt', '{params.opt}'] },
      ],
      { flag: { type: 'boolean' }, n: { type: 'integer' }, s: { type: 'string' }, mode: { type: 'string' }, opt: { type: 'string' } },
    );
    expect(buildArgv(step, ctx({ flag: true, n: 2, s: 'x', mode: 'b', opt: '' }))).toEqual(['--flag', 'n', 's', 'mode-ab']);
    expect(buildArgv(step, ctx({ flag: false, n: 0, s: '', mode: 'c', opt: '0' }))).toEqual(['--no-flag', 'mode-other', '--opt', '0']);
    expect(buildArgv(step, ctx({}))).toEqual(['--no-flag', 'mode-other']);
  });

  it('refuses, with a clear message, what it cannot fill', () => {
    expect(() => buildArgv(testStep(['{params.zz}']), ctx({}))).toThrow('step test: /command/0: {params.zz} has no value');
    expect(() => buildArgv(testStep(['{oops}']), ctx({}))).toThrow(/step test: \/command\/0: unknown placeholder \{oops\}/);
    expect(() => buildArgv(testStep(['{tool.samtools}']), ctx({}))).toThrow(/\{tool\.samtools\} was not resolved/);
    expect(() => buildArgv(testStep(['{inputs.r2}']), ctx({}))).toThrow(/\{inputs\.r2\} was not resolved to a file/);
    expect(() => buildArgv(testStep(['x{benchtop}']), ctx({}))).toThrow(/must be a whole element/);
  });
});

describe('a hostile free-text parameter', () => {
  const definition = {
    id: 'note',
    name: 'Note',
    tools: [{ name: 'printf', versionArgs: ['--version'], debian: 'coreutils', conda: null }],
    inputs: [],
    outputs: [],
    parameters: { type: 'object', additionalProperties: false, required: ['note'], properties: { note: { type: 'string', title: 'Anything' } } },
    command: ['{tool.printf}', '[%s]\\n', '{params.note}', '--title={params.note}'],
  };

  it('is one literal argv element, never interpreted', () => {
    expect(checkDefinition(definition)).toEqual([]);
    const step = testStep(definition.command, definition.parameters.properties);
    const dir = mkdtempSync(join(tmpdir(), 'benchtop-hostile-'));
    try {
      const pwned = join(dir, 'pwned');
      for (const hostile of [`ACGT; touch ${pwned}`, `$(touch ${pwned})`, `\`touch ${pwned}\``, `a' "b" | touch ${pwned} && echo`, `x\ntouch ${pwned}`, '*', '{params.note}', '']) {
        const v = validateStepParams(step, { note: hostile });
        expect(v.ok).toBe(true);
        const argv = buildArgv(step, ctx(v.ok ? v.params : {}));
        expect(argv).toEqual(['/usr/bin/printf', '[%s]\\n', hostile, `--title=${hostile}`]);
        const printed = execFileSync(argv[0]!, argv.slice(1), { cwd: dir, encoding: 'utf8' });
        expect(printed).toBe(`[${hostile}]\n[--title=${hostile}]\n`);
        expect(existsSync(pwned)).toBe(false);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
