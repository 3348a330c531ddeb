import { describe, expect, it } from 'vitest';
import { workspaceFromArgv } from './launchArgs';

describe('workspaceFromArgv', () => {
  it('reads --workspace DIR (development and packaged argv)', () => {
    expect(workspaceFromArgv(['/usr/bin/electron', 'dist/electron/main.cjs', '--workspace', '/data/ws'])).toBe('/data/ws');
    expect(workspaceFromArgv(['/opt/Benchtop/benchtop', '--workspace', '~/Benchtop-2'])).toBe('~/Benchtop-2');
  });

  it('reads --workspace=DIR', () => {
    expect(workspaceFromArgv(['electron', '.', '--workspace=/data/ws'])).toBe('/data/ws');
  });

  it('is undefined without the option, or without a value', () => {
    expect(workspaceFromArgv(['electron', '.'])).toBeUndefined();
    expect(workspaceFromArgv(['electron', '.', '--workspace'])).toBeUndefined();
    expect(workspaceFromArgv(['electron', '.', '--workspace='])).toBeUndefined();
    expect(workspaceFromArgv(['electron', '.', '--workspace', '--inspect'])).toBeUndefined();
    expect(workspaceFromArgv(['electron', '.', '--workspaces', '/x'])).toBeUndefined();
  });

  it('takes the last one given', () => {
    expect(workspaceFromArgv(['e', '--workspace', '/a', '--workspace=/b'])).toBe('/b');
  });
});
