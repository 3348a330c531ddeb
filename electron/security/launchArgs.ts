/**
 * What Benchtop reads from its command line: `--workspace DIR` or `--workspace=DIR`, nothing else
 * (Chromium's own switches are Chromium's business). The value is a folder; a following switch
 * (`--workspace --inspect`) is not taken as one. The last one given wins.
 */
export function workspaceFromArgv(argv: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--workspace') {
      const next = argv[i + 1];
      if (next !== undefined && next !== '' && !next.startsWith('-')) {
        found = next;
        i++;
      }
    } else if (arg?.startsWith('--workspace=')) {
      const value = arg.slice('--workspace='.length);
      if (value !== '') found = value;
    }
  }
  return found;
}
