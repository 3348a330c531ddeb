/**
 * `demo.create`: the Dashboard's "Open the demo workspace". The build runs `benchtop demo --json`
 * in a child process (the same CLI, so the app keeps answering while the tools run); its stderr
 * lines become demo.progress events, and once it ends well the app switches to the demo.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { ApiError } from '../../shared/errors';
import { DemoSummary, type DemoProgress } from '../../shared/ops/demo';
import type { HandlerTable } from '../api/dispatch';
import type { Session } from '../api/session';
import { benchtopCliPrefix } from '../steps';
import { expand } from '../workspace/resolve';
import { writeSettings } from '../workspace/settings';
import { checkDemoFolder, defaultDemoDir } from './build';

export function demoHandlers(session: Session): Pick<HandlerTable, 'demo.create' | 'demo.status'> {
  let last: DemoProgress | null = null;
  const report = (p: DemoProgress) => {
    last = p;
    session.events.emit('demo.progress', p);
  };

  return {
    'demo.status': () => last,
    'demo.create': ({ workspace }) => {
      if (last?.state === 'running') throw new ApiError('conflict', `The demo workspace is being built in ${last.workspace} already.`);
      const dir = expand(workspace ?? defaultDemoDir());
      checkDemoFolder(dir); // refused here, in the caller's words, rather than by the child
      const [cmd, ...args] = benchtopCliPrefix();
      const child = spawn(cmd!, [...args, 'demo', '--workspace', dir, '--json'], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
      });
      report({ state: 'running', workspace: dir, line: 'Starting…', error: null });
      let stdout = '';
      let lastLine = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      createInterface({ input: child.stderr }).on('line', (line) => {
        lastLine = line;
        report({ state: 'running', workspace: dir, line, error: null });
      });
      const fail = (error: string) => report({ state: 'failed', workspace: dir, line: null, error });
      child.on('error', (err) => fail(`The demo could not be started: ${err.message}`));
      child.on('close', (code) => {
        if (code !== 0) return fail(lastLine.replace(/^benchtop demo: /, '') || `benchtop demo ended with exit code ${code}.`);
        try {
          const summary = DemoSummary.parse(JSON.parse(stdout));
          const next = session.switchWorkspace(summary.workspace);
          writeSettings(session.host.configDir, { workspace: next.layout.path });
          report({ state: 'done', workspace: summary.workspace, line: `The demo workspace is ready (${summary.seconds} s).`, error: null });
        } catch (err) {
          fail(`The demo was built in ${dir} but could not be opened: ${(err as Error).message}`);
        }
      });
      return { workspace: dir };
    },
  };
}
