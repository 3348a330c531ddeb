import { describe, expect, it } from 'vitest';
import { runTool } from './proc';

describe('runTool', () => {
  it("a tool's message line over 1 MiB stops it, and the error says why instead of holding the line", async () => {
    const script = "process.stderr.write('starting\\n'); process.stderr.write('x'.repeat(3 << 20)); setTimeout(() => {}, 30000);";
    const logged: string[] = [];
    await expect(runTool([process.execPath, '-e', script], { log: (line) => logged.push(line) })).rejects.toThrow(/was stopped by SIGTERM: .*\(its messages\): line 2: line longer than 1 MiB/);
    expect(logged).toEqual(['starting']);
  });
});
