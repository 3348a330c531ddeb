import { startServer } from '../../serve/server';
import { openCliSession, printJson, type CliContext } from '../context';

export const DEFAULT_PORT = 7411;

/** `benchtop serve`: the app for a browser on this machine, until Ctrl-C. */
export async function serveCommand(ctx: CliContext, opts: { port: number | undefined; rendererDir: string }): Promise<void> {
  const session = openCliSession(ctx, 'serve');
  let server;
  try {
    server = await startServer({ session, rendererDir: opts.rendererDir, port: opts.port ?? DEFAULT_PORT });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && opts.port === undefined) {
      // The default port is taken (another Benchtop?): any free port will do.
      server = await startServer({ session, rendererDir: opts.rendererDir, port: 0 });
    } else {
      session.close();
      throw code === 'EADDRINUSE' ? new Error(`Port ${opts.port} is already in use: choose another with --port.`) : err;
    }
  }
  const { readOnly } = session.workspace;
  if (ctx.json) printJson(ctx, { url: server.url, port: server.port, workspace: session.workspace.layout.path, readOnly });
  else ctx.out(`Benchtop is serving ${server.url}`);
  ctx.note('Open it in a browser on this machine. The token (after #) stays in that tab and is never sent as a cookie:');
  ctx.note('browsers share cookies across all ports of 127.0.0.1. Each start makes a new token: open the new address then.');
  ctx.note(`Workspace: ${session.workspace.layout.path}. Press Ctrl-C to stop.`);
  if (readOnly) ctx.note(`This workspace is read-only (${readOnly}): it can be browsed, not changed.`);
  const running = server;
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(() => {
        session.close();
        resolve();
      });
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
