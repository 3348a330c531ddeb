/** Test helpers: definitions to vary in tests of the loader and the operations. */

/** A small good definition to vary. */
export function goodDefinition(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id,
    name: `Step ${id}`,
    description: 'A test step',
    version: '1',
    tools: [{ name: 'echo', versionArgs: ['--version'], debian: 'coreutils', conda: null }],
    inputs: [{ name: 'r1', label: 'Read 1', sources: ['input:R1'] }],
    outputs: [{ name: 'out', label: 'Output', path: 'out.txt' }],
    parameters: {
      type: 'object',
      additionalProperties: false,
      properties: {
        label: { type: 'string', title: 'Free text' },
        count: { type: 'integer', minimum: 1, maximum: 10, default: 3 },
      },
      'x-ui': { order: ['count', 'label'] },
    },
    command: ['{tool.echo}', '--count', '{params.count}', { ifSet: 'params.label', then: ['--label', '{params.label}'] }, '{inputs.r1}', '{outputs.out}'],
    ...extra,
  };
}
