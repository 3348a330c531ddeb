import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Session } from '../api/session';
import { CONTENT_SECURITY_POLICY } from '../security/csp';
import { contentType, resolveStaticFile } from '../security/staticFiles';
import { RUN_FILES_PREFIX, resolveRunFileRequest } from '../runs/fileRequest';
import { checkRequest, cookieName, newToken, readCookie } from './auth';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;

export const LOOPBACK = '127.0.0.1';

export interface ServeOptions {
  session: Session;
  rendererDir: string;
  port: number;
  token?: string;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/**
 * The browser bridge: the built renderer and the same handler table as Electron's IPC, over HTTP
 * (POST /api/op/<name>) and server-sent events (GET /api/events), on 127.0.0.1 only.
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const token = opts.token ?? newToken();
  const sse = new Set<ServerResponse>();
  let port = 0;

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, { ok: false, error: { code: 'internal', message: String(err) } });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', `http://${LOOPBACK}:${port}`);
    const queryToken = url.searchParams.get('token') ?? undefined;
    const headerToken = req.headers['x-benchtop-token'];
    const verdict = checkRequest(
      {
        host: req.headers.host,
        origin: req.headers.origin,
        token: (typeof headerToken === 'string' ? headerToken : undefined) ?? queryToken ?? readCookie(req.headers.cookie, cookieName(port)),
      },
      { port, token },
    );
    if (!verdict.ok) {
      send(res, verdict.status, { ok: false, error: { code: 'invalid_request', message: `Refused: ${verdict.reason}.` } });
      return;
    }
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');

    // Trade the token in the printed URL for a cookie, and take it out of the address bar.
    if (queryToken && req.method === 'GET' && !url.pathname.startsWith('/api/')) {
      res.setHeader('Set-Cookie', `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`);
      url.searchParams.delete('token');
      res.writeHead(303, { Location: url.pathname + url.search + url.hash }).end();
      return;
    }

    if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res);
    if (url.pathname.startsWith('/api/op/')) {
      if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'invalid_request', message: 'Use POST.' } });
      const op = decodeURIComponent(url.pathname.slice('/api/op/'.length));
      const body = await readJson(req);
      if (!body.ok) return send(res, body.status, { ok: false, error: { code: 'invalid_request', message: body.message } });
      const result = await opts.session.dispatch(op, body.value);
      return send(res, result.ok ? 200 : statusFor(result.error.code, res), result);
    }
    if (url.pathname.startsWith(RUN_FILES_PREFIX)) {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: { code: 'invalid_request', message: 'Use GET.' } });
      return serveRunFile(url.pathname.slice(RUN_FILES_PREFIX.length), res, req.method === 'HEAD');
    }
    if (url.pathname.startsWith('/api/')) return send(res, 404, { ok: false, error: { code: 'not_found', message: `No API at ${url.pathname}.` } });
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: { code: 'invalid_request', message: 'Use GET.' } });
    serveStatic(url.pathname, res, req.method === 'HEAD');
  }

  function serveStatic(pathname: string, res: ServerResponse, headOnly: boolean): void {
    const file = resolveStaticFile(opts.rendererDir, pathname);
    if (!file) {
      send(res, 404, { ok: false, error: { code: 'not_found', message: `No file ${pathname}.` } });
      return;
    }
    res.writeHead(200, {
      'Content-Type': contentType(file),
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Frame-Options': 'DENY',
    });
    if (headOnly) res.end();
    else createReadStream(file).pipe(res);
  }

  /** GET /files/runs/<runId>/<path>: one file of a run, resolved inside the run's folder (links leaving it refused). */
  function serveRunFile(rest: string, res: ServerResponse, headOnly: boolean): void {
    const answer = resolveRunFileRequest(opts.session.workspace.db, opts.session.workspace.layout, rest);
    if (!answer.ok) return send(res, answer.status, { ok: false, error: { code: answer.code, message: answer.message } });
    res.writeHead(200, answer.headers);
    if (headOnly) res.end();
    else createReadStream(answer.file).pipe(res);
  }

  function openEventStream(res: ServerResponse): void {
    res.writeHead(200, { 'Content-Type': 'text/event-stream', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    sse.add(res);
    res.on('close', () => sse.delete(res));
  }

  const unsubscribe = opts.session.events.subscribe((event) => {
    const frame = `data: ${JSON.stringify(event)}\n\n`;
    for (const res of sse) res.write(frame);
  });
  const heartbeat = setInterval(() => {
    for (const res of sse) res.write(': ping\n\n');
  }, HEARTBEAT_MS);
  heartbeat.unref();

  await listen(server, opts.port);
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        unsubscribe();
        clearInterval(heartbeat);
        for (const res of sse) res.end();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, LOOPBACK, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The HTTP status for an error code; a busy database also tells the client when to try again. */
function statusFor(code: string, res: ServerResponse): number {
  switch (code) {
    case 'busy':
      res.setHeader('Retry-After', '1');
      return 503;
    case 'read_only':
      return 409;
    case 'invalid_request':
    case 'unknown_operation':
    case 'outside_workspace':
      return 400;
    case 'not_found':
      return 404;
    case 'conflict':
    case 'db_too_new':
      return 409;
    case 'unsupported':
      return 501;
    default:
      return 500;
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<{ ok: true; value: unknown } | { ok: false; status: number; message: string }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return { ok: false, status: 413, message: `Request body over ${MAX_BODY_BYTES} bytes.` };
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, status: 400, message: 'The request body is not valid JSON.' };
  }
}
