import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Session } from '../api/session';
import { CONTENT_SECURITY_POLICY } from '../security/csp';
import { contentType, resolveStaticFile } from '../security/staticFiles';
import { RUN_FILES_PREFIX, parseRunFileRest, resolveRunFile } from '../runs/fileRequest';
import { TOKEN_HEADER, checkOrigin, checkToken, newToken } from './auth';
import { SignedRunFileLinks } from './fileLinks';

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const HEARTBEAT_MS = 15_000;
/**
 * Bytes an event-stream client may leave unread before it is disconnected. A stalled tab would
 * otherwise keep every log chunk of every job in this process's memory; cut off, it reconnects and
 * reads what it missed from the log files.
 */
export const MAX_QUEUED_EVENT_BYTES = 1024 * 1024;

export const LOOPBACK = '127.0.0.1';

export interface ServeOptions {
  /** Its host must sign run-file links (SignedRunFileLinks): frames cannot send the token header. */
  session: Session;
  rendererDir: string;
  port: number;
  token?: string;
}

export interface RunningServer {
  /** The address to open: the token in the fragment, which the browser never sends to any server. */
  url: string;
  port: number;
  token: string;
  /** Event-stream clients connected now, and the bytes written to them that they have not read yet. */
  eventBacklog(): { clients: number; queuedBytes: number };
  close(): Promise<void>;
}

/**
 * The browser bridge: the built renderer and the same handler table as Electron's IPC, over HTTP
 * (POST /api/op/<name>) and an event stream (GET /api/events), on 127.0.0.1 only. The app's static
 * files need no token; the API and the event stream need it in the X-Benchtop-Token header; a run's
 * file needs a signed link for that one file (runs.fileUrl).
 */
export async function startServer(opts: ServeOptions): Promise<RunningServer> {
  const links = opts.session.host.runFileLinks;
  if (!(links instanceof SignedRunFileLinks)) throw new Error('benchtop serve needs a session whose host signs run-file links (SignedRunFileLinks).');
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
    // Parsed as a path of this server, whatever it looks like: `//evil.example/x` is a path here, never another host.
    const raw = req.url ?? '/';
    const url = new URL(`http://${LOOPBACK}:${port}${raw.startsWith('/') ? raw : `/${raw}`}`);
    const origin = checkOrigin({ host: req.headers.host, origin: req.headers.origin }, port);
    if (!origin.ok) return refuse(res, origin.status, origin.reason);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Cache-Control', 'no-store');

    if (url.pathname.startsWith('/api/')) {
      const verdict = checkToken(req.headers[TOKEN_HEADER], token);
      if (!verdict.ok) return refuse(res, verdict.status, verdict.reason);
      if (url.pathname === '/api/events' && req.method === 'GET') return openEventStream(res);
      if (url.pathname.startsWith('/api/op/')) {
        if (req.method !== 'POST') return send(res, 405, { ok: false, error: { code: 'invalid_request', message: 'Use POST.' } });
        let op: string;
        try {
          op = decodeURIComponent(url.pathname.slice('/api/op/'.length));
        } catch {
          return send(res, 400, { ok: false, error: { code: 'invalid_request', message: `The operation name ${url.pathname.slice('/api/op/'.length)} is not valid URL encoding.` } });
        }
        const body = await readJson(req);
        if (!body.ok) return send(res, body.status, { ok: false, error: { code: 'invalid_request', message: body.message } });
        const result = await opts.session.dispatch(op, body.value);
        return send(res, result.ok ? 200 : statusFor(result.error.code, res), result);
      }
      return send(res, 404, { ok: false, error: { code: 'not_found', message: `No API at ${url.pathname}.` } });
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { ok: false, error: { code: 'invalid_request', message: 'Use GET.' } });
    if (url.pathname.startsWith(RUN_FILES_PREFIX)) return serveRunFile(url, res, req.method === 'HEAD');
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

  /** GET /files/runs/<runId>/<path>?expires=…&sig=…: the one file the signed link names, inside the run's folder. */
  function serveRunFile(url: URL, res: ServerResponse, headOnly: boolean): void {
    const parsed = parseRunFileRest(url.pathname.slice(RUN_FILES_PREFIX.length));
    if (!parsed.ok) return send(res, parsed.status, { ok: false, error: { code: parsed.code, message: parsed.message } });
    const allowed = (links as SignedRunFileLinks).check(parsed.runId, parsed.relPath, url.searchParams);
    if (!allowed.ok) return send(res, 403, { ok: false, error: { code: 'invalid_request', message: allowed.reason } });
    const answer = resolveRunFile(opts.session.workspace.db, opts.session.workspace.layout, parsed.runId, parsed.relPath);
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

  /** To every event-stream client; one that has left too much unread is cut off (it reconnects and catches up). */
  function broadcast(frame: string): void {
    for (const res of sse) {
      res.write(frame);
      if (res.writableLength > MAX_QUEUED_EVENT_BYTES) {
        sse.delete(res);
        res.destroy();
      }
    }
  }

  const unsubscribe = opts.session.events.subscribe((event) => broadcast(`data: ${JSON.stringify(event)}\n\n`));
  const heartbeat = setInterval(() => broadcast(': ping\n\n'), HEARTBEAT_MS);
  heartbeat.unref();

  await listen(server, opts.port);
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://${LOOPBACK}:${port}/#token=${token}`,
    port,
    token,
    eventBacklog: () => ({ clients: sse.size, queuedBytes: [...sse].reduce((sum, res) => sum + res.writableLength, 0) }),
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

function refuse(res: ServerResponse, status: number, reason: string): void {
  send(res, status, { ok: false, error: { code: 'invalid_request', message: `Refused: ${reason}.` } });
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
