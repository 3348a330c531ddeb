import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { builtinStepsDir, checkDefinition, loadStepCatalog, packageRoot, toStepInfo } from './index';
import { goodDefinition } from './testing';

let root: string;
let builtin: string;
let user: string;
const write = (dir: string, name: string, value: unknown) => writeFileSync(join(dir, name), typeof value === 'string' ? value : JSON.stringify(value, null, 2));

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'benchtop-loader-'));
  builtin = join(root, 'builtin');
  user = join(root, 'user');
  mkdirSync(builtin);
  mkdirSync(user);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('loadStepCatalog', () => {
  it('reports each of five broken files with its path and the problem, and loads the good ones', () => {
    for (const f of ['qc.json', 'cutadapt.json', 'fastp.json', 'step.schema.json']) copyFileSync(join(builtinStepsDir(), f), join(builtin, f));
    write(builtin, 'alpha.json', goodDefinition('alpha'));
    // 1. not JSON
    write(builtin, 'broken_json.json', '{ "id": "broken_json", "name": ');
    // 2. a parameters schema that does not compile
    write(builtin, 'bad_schema.json', goodDefinition('bad_schema', { parameters: { type: 'object', properties: { n: { type: 'integer', minimum: 'five' } } } }));
    // 3. an unknown placeholder
    write(builtin, 'bad_template.json', goodDefinition('bad_template', { command: ['{tool.echo}', '{params.count}', '--x={param.count}'] }));
    // 4. a duplicate id (the file sorting after alpha.json)
    write(builtin, 'zeta.json', goodDefinition('alpha'));
    // 5. a user file redefining a built-in step
    write(user, 'my_cutadapt.json', goodDefinition('cutadapt'));
    write(user, 'mine.json', goodDefinition('mine'));
    write(user, 'notes.txt', 'not a definition');

    const { steps, errors } = loadStepCatalog({ builtin, user });
    expect(steps.map((s) => `${s.source}:${s.id}`).sort()).toEqual(['builtin:alpha', 'builtin:cutadapt', 'builtin:fastp', 'builtin:qc', 'user:mine']);
    const byFile = Object.fromEntries(errors.map((e) => [e.file, e.message]));
    expect(Object.keys(byFile).sort()).toEqual(
      [join(builtin, 'bad_schema.json'), join(builtin, 'bad_template.json'), join(builtin, 'broken_json.json'), join(builtin, 'zeta.json'), join(user, 'my_cutadapt.json')].sort(),
    );
    expect(byFile[join(builtin, 'broken_json.json')]).toMatch(/^not valid JSON: /);
    expect(byFile[join(builtin, 'bad_schema.json')]).toBe('/parameters/properties/n/minimum: must be a number');
    expect(byFile[join(builtin, 'bad_template.json')]).toMatch(/^\/command\/2: unknown placeholder \{param\.count\}/);
    expect(byFile[join(builtin, 'zeta.json')]).toBe(`/id: duplicate id "alpha", already defined by ${join(builtin, 'alpha.json')}`);
    expect(byFile[join(user, 'my_cutadapt.json')]).toMatch(/^\/id: "cutadapt" is a built-in step .*may not redefine it/);
  });

  it('refuses a pattern that could take exponential time, naming the file and the parameter, before any value is matched', () => {
    // The default would keep a backtracking matcher busy for minutes: it must never be tried.
    const evil = { type: 'string', pattern: '^(a+)+$', default: `${'a'.repeat(40)}!` };
    const withParam = (id: string, name: string, schema: unknown) => {
      const def = goodDefinition(id) as { parameters: { properties: Record<string, unknown> } };
      def.parameters.properties[name] = schema;
      return def;
    };
    write(user, 'evil.json', withParam('evil', 'name', evil));
    write(user, 'fine.json', withParam('fine', 'seq', { type: 'string', pattern: '^[ACGTN]+$', default: 'ACGT' }));
    const { steps, errors } = loadStepCatalog({ builtin, user });
    expect(steps.map((s) => s.id)).toEqual(['fine']);
    expect(errors).toEqual([
      {
        file: join(user, 'evil.json'),
        message: '/parameters/properties/name/pattern: parameter "name": pattern ^(a+)+$ could take exponential time (a repeated group containing a repeat); simplify it',
      },
    ]);
  });

  it('every built-in definition loads', () => {
    const { steps, errors } = loadStepCatalog({ builtin: builtinStepsDir(), user: null });
    expect(errors).toEqual([]);
    expect(steps.length).toBeGreaterThan(5);
  });

  it('refuses a user definition with a duplicate key or a __proto__ key, naming the key and its path', () => {
    write(builtin, 'alpha.json', goodDefinition('alpha'));
    const good = JSON.stringify(goodDefinition('twice'), null, 2);
    write(user, 'twice.json', good.replace('"id": "twice",', '"id": "twice",\n  "id": "again",'));
    write(user, 'proto.json', JSON.stringify(goodDefinition('proto'), null, 2).replace('"id": "proto",', '"id": "proto",\n  "__proto__": {"x": 1},'));
    const { steps, errors } = loadStepCatalog({ builtin, user });
    expect(steps.map((s) => s.id)).toEqual(['alpha']);
    expect(Object.fromEntries(errors.map((e) => [e.file, e.message]))).toEqual({
      [join(user, 'twice.json')]: 'duplicate key "id" at $ (line 3)',
      [join(user, 'proto.json')]: 'key "__proto__" is not allowed at $ (line 3)',
    });
  });

  it('a missing user folder is no error; an unreadable built-in folder is', () => {
    write(builtin, 'alpha.json', goodDefinition('alpha'));
    expect(loadStepCatalog({ builtin, user: join(root, 'nope') })).toMatchObject({ errors: [], steps: [{ id: 'alpha' }] });
    const r = loadStepCatalog({ builtin: join(root, 'missing'), user: null });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]?.file).toBe(join(root, 'missing'));
  });

  it('places step:<id>:<output> sources, and refuses a source naming an output the step lacks', () => {
    write(builtin, 'alpha.json', goodDefinition('alpha'));
    write(builtin, 'beta.json', goodDefinition('beta', { inputs: [{ name: 'r1', label: 'R1', sources: ['step:alpha:out', 'step:ghost:r1', 'input:R1'] }] }));
    write(builtin, 'gamma.json', goodDefinition('gamma', { inputs: [{ name: 'r1', label: 'R1', sources: ['step:alpha:nothing'] }] }));
    const { steps, errors } = loadStepCatalog({ builtin, user: null });
    expect(steps.find((s) => s.id === 'beta')?.sourcePaths).toEqual({ 'step:alpha:out': 'alpha/out.txt', 'step:ghost:r1': null });
    expect(errors).toEqual([{ file: join(builtin, 'gamma.json'), message: '/inputs/0/sources/0: step "alpha" has no output "nothing" (its outputs: out)' }]);
  });

  it('finds resources/steps from the package root', () => {
    expect(builtinStepsDir()).toBe(join(packageRoot(), 'resources', 'steps'));
    expect(builtinStepsDir()).toBe(join(process.cwd(), 'resources', 'steps'));
  });

  it('toStepInfo gives the renderer the schema and the I/O', () => {
    write(builtin, 'alpha.json', goodDefinition('alpha'));
    const [step] = loadStepCatalog({ builtin, user: null }).steps;
    expect(step).toBeDefined();
    const info = toStepInfo(step!);
    expect(info).toMatchObject({ id: 'alpha', source: 'builtin', pipeline: null, inputs: [{ name: 'r1', label: 'Read 1' }], outputs: [{ name: 'out', label: 'Output' }] });
    expect(info.parameters).toMatchObject({ 'x-ui': { order: ['count', 'label'] } });
  });
});

describe('checkDefinition: each problem named by its JSON pointer', () => {
  const problems = (extra: Record<string, unknown>) => checkDefinition(goodDefinition('t', extra));
  const params = (properties: Record<string, unknown>, more: Record<string, unknown> = {}) =>
    problems({ parameters: { type: 'object', properties, ...more }, command: ['{tool.echo}'] });

  it('a good definition has none', () => {
    expect(checkDefinition(goodDefinition('t'))).toEqual([]);
  });

  it('structure', () => {
    expect(problems({ id: 'Bad-Id' })).toEqual(['/id: an id is a lowercase letter, then lowercase letters, digits or _ (at most 64)']);
    expect(problems({ colour: 'red' })).toEqual(['/colour: is not a field of a step definition here']);
    expect(checkDefinition({ ...goodDefinition('t'), name: undefined })).toEqual(['/name: is required']);
    expect(problems({ results: 'Not-An-Id' })[0]).toMatch(/^\/results: /);
    expect(problems({ outputs: [{ name: 'out', label: 'x', path: '../escape.txt' }] })).toEqual(['/outputs/0/path: must be a file path inside the step\'s folder, not "../escape.txt"']);
    expect(problems({ inputs: [{ name: 'r1', label: 'a', sources: ['input:R1'] }, { name: 'r1', label: 'b', sources: ['input:R2'] }] })).toEqual(['/inputs/1/name: "r1" is declared twice']);
    expect(problems({ inputs: [{ name: 'r1', label: 'a', sources: ['file:/etc/passwd'] }] })[0]).toMatch(/^\/inputs\/0\/sources\/0: must match/);
  });

  it('parameters: flat, strict, defaults valid, x-ui naming real fields', () => {
    expect(params({ n: { type: 'integer', maximumm: 3 } })).toEqual(['/parameters/properties/n/maximumm: unknown keyword "maximumm"']);
    expect(params({ n: { type: 'object', properties: {} } })[0]).toMatch(/^\/parameters\/properties\/n\/type: must be one of string, number, integer, boolean/);
    expect(params({ n: { type: 'array' } })[0]).toMatch(/^\/parameters\/properties\/n\/type: /);
    expect(params({ n: { type: 'integer', pattern: '^a$' } })).toEqual(['/parameters/properties/n/pattern: "pattern" does not apply to an integer parameter']);
    expect(params({ s: { type: 'string', pattern: '([' } })[0]).toMatch(/^\/parameters\/properties\/s\/pattern: not a valid regular expression/);
    expect(params({ s: { type: 'string', format: 'email' } })).toEqual(['/parameters/properties/s/format: must be one of file-path, dir-path']);
    expect(params({ e: { type: 'number', maximum: 1, default: 1.5 } })).toEqual(['/parameters/properties/e/default: 1.5 must be ≤ 1']);
    expect(params({ p: { type: 'string', enum: ['a', 'b'], default: 'c' } })).toEqual(['/parameters/properties/p/default: "c" must be one of "a", "b"']);
    expect(params({ p: { type: 'string', enum: ['a', 2] } })).toEqual(['/parameters/properties/p/enum/1: 2 is not a string']);
    expect(params({ n: { type: 'integer' } }, { 'x-ui': { order: ['n', 'm'] } })).toEqual(['/parameters/x-ui/order/1: "m" is not a parameter']);
    expect(params({ n: { type: 'integer' } }, { 'x-ui': { groups: [{ title: 'G', fields: ['zz'] }] } })).toEqual(['/parameters/x-ui/groups/0/fields/0: "zz" is not a parameter']);
    expect(params({ n: { type: 'integer' } }, { required: ['m'] })).toEqual(['/parameters/required/0: "m" is not a parameter']);
    expect(params({ n: { type: 'integer' } }, { patternProperties: {} })[0]).toMatch(/^\/parameters\/patternProperties: unknown keyword/);
    expect(problems({ parameters: { type: 'array' } })[0]).toBe('/parameters/type: must be "object"');
  });

  it('parameters: x-rules compare two number parameters and say why', () => {
    const num = { a: { type: 'integer' }, b: { type: 'number' }, s: { type: 'string' } };
    expect(params(num, { 'x-rules': [{ lhs: 'a', op: '>=', rhs: 'b', message: 'a is at least b' }] })).toEqual([]);
    expect(params(num, { 'x-rules': [{ lhs: 'a', op: '=>', rhs: 'zz', message: '' }] })).toEqual([
      '/parameters/x-rules/0/rhs: "zz" is not a parameter',
      '/parameters/x-rules/0/op: must be one of < <= > >= !=',
      '/parameters/x-rules/0/message: must say, in words, what the rule asks',
    ]);
    expect(params(num, { 'x-rules': [{ lhs: 's', op: '<', rhs: 'a', message: 'm' }] })).toEqual(['/parameters/x-rules/0/lhs: "s" is not a number parameter']);
    expect(params(num, { 'x-rules': {} })).toEqual(['/parameters/x-rules: must be an array of {lhs, op, rhs, message}']);
  });

  it('command: placeholders must name what is declared', () => {
    const cmd = (command: unknown[]) => problems({ command });
    expect(cmd(['{tool.echo}', '{foo}'])[0]).toMatch(/^\/command\/1: unknown placeholder \{foo\}/);
    expect(cmd(['{tool.echo}', '{params.nope}'])).toEqual(['/command/1: {params.nope} names no parameter (parameters: label, count)']);
    expect(cmd(['{tool.echo}', '{inputs.r9}'])).toEqual(['/command/1: {inputs.r9} names no declared input (inputs: r1)']);
    expect(cmd(['{tool.echo}', '{outputs.r9}'])).toEqual(['/command/1: {outputs.r9} names no declared output (outputs: out)']);
    expect(cmd(['{tool.bash}', '-c'])).toEqual(['/command/0: {tool.bash} names no declared tool (tools: echo)']);
    expect(cmd(['{tool.echo}', 'x{benchtop}'])).toEqual(['/command/1: {benchtop} must be a whole element on its own (it expands to several argv elements)']);
    expect(cmd(['{tool.echo}', '{params.count'])[0]).toMatch(/^\/command\/1: unclosed "\{"/);
    expect(cmd(['{tool.echo}', '{params.label}'])).toEqual(['/command/1: {params.label} is optional and has no default: use it inside {"ifSet": "params.label", "then": [...]}']);
    expect(cmd(['{tool.echo}', { if: 'params.nope', then: ['x'] }])).toEqual(['/command/1/if: "params.nope" names no parameter (parameters: label, count)']);
    expect(cmd(['{tool.echo}', { ifSet: 'params.label', then: ['{params.label}'], also: [] }])).toEqual(['/command/1/also: unknown key in an "ifSet" element (allowed: ifSet, then, else)']);
    expect(cmd(['{tool.echo}', 42])).toEqual(['/command/1: must be a string, an {"if": …} or an {"ifSet": …} element']);
    expect(cmd([])[0]).toMatch(/^\/command: /);
    // literal braces, {benchtop} on its own, nested conditions: fine
    expect(cmd(['{benchtop}', 'builtin', 'x', '{{literal}}', { if: 'params.count', then: [{ ifSet: 'params.label', then: ['{params.label}'] }] }])).toEqual([]);
  });

  it('optional inputs must be guarded; requiredWhen inputs by a matching "in"', () => {
    const inputs = [
      { name: 'r1', label: 'R1', sources: ['input:R1'] },
      { name: 'extra', label: 'Extra', sources: ['input:X'], optional: true },
      { name: 'late', label: 'Late', sources: ['input:L'], requiredWhen: { param: 'stage', in: ['after', 'both'] } },
    ];
    const parameters = { type: 'object', properties: { stage: { type: 'string', enum: ['before', 'after', 'both'], default: 'before' } } };
    const p = (command: unknown[]) => problems({ inputs, parameters, command });
    expect(p(['{tool.echo}', '{inputs.r1}', { ifSet: 'inputs.extra', then: ['{inputs.extra}'] }, { if: 'params.stage', in: ['after', 'both'], then: ['{inputs.late}'] }])).toEqual([]);
    expect(p(['{tool.echo}', '{inputs.extra}'])[0]).toMatch(/^\/command\/1: \{inputs\.extra\} is an optional input: use it inside \{"ifSet": "inputs\.extra"/);
    expect(p(['{tool.echo}', { if: 'params.stage', in: ['before', 'both'], then: ['{inputs.late}'] }])[0]).toMatch(/^\/command\/1\/then\/0: \{inputs\.late\} is an optional input/);
    expect(p(['{tool.echo}', { if: 'params.stage', in: ['later'], then: [] }])).toEqual(['/command/1/in/0: "later" is not one of stage\'s values ("before", "after", "both")']);
  });
});
