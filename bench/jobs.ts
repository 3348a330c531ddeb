/**
 * `npm run bench`: the job runner under load, next to the plain tools a lab script would use.
 * - event-loop delay of the process hosting the runner while 4 jobs each log 10 MB/s (target p99 < 50 ms);
 * - tail latency: from a line being written to its `job.log` event (target p99 < 250 ms), next to `tail -F`;
 * - job start overhead: enqueue → running, next to a bare child_process.spawn.
 * BENCH_SECONDS shortens the load phase (default 60).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Session } from '../electron/api/session';
import type { JobInfo } from '../shared/schemas/jobs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const RATE = 10 * 1024 * 1024;
const WRITER = fileURLToPath(new URL('../../bench/writer.mjs', import.meta.url));

function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}

function marks(text: string, seen: number[], now: number): void {
  for (const m of text.matchAll(/^MARK (\d+)$/gm)) seen.push(now - Number(m[1]));
}

function waitForStatus(session: Session, id: number, statuses: string[]): Promise<JobInfo> {
  return new Promise((resolve) => {
    const current = session.jobs.get(id);
    if (statuses.includes(current.status)) return resolve(current);
    const off = session.events.subscribe((e) => {
      const job = e.payload as JobInfo;
      if (e.name === 'job.status' && job.id === id && statuses.includes(job.status)) {
        off();
        resolve(job);
      }
    });
  });
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'benchtop-bench-'));
  const session = Session.open(
    { mode: 'serve', configDir: join(root, 'config'), electronVersion: null, dialogs: null },
    { workspace: join(root, 'workspace'), env: {} },
  );
  session.jobs.maxConcurrent = 8;
  session.workspace.db.prepare("INSERT INTO runs (id, name) VALUES ('bench', 'bench')").run();
  const cwd = join(root, 'workspace', 'runs', 'bench', 'load');

  // Job start overhead.
  const startMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const job = session.jobs.enqueue({ runId: 'bench', step: 'start', argv: ['/bin/true'], tool: null, toolVersion: null, cwd });
    await waitForStatus(session, job.id, ['running', 'completed', 'failed']);
    startMs.push(performance.now() - t0);
    await waitForStatus(session, job.id, ['completed', 'failed']);
  }
  const spawnMs: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve) => spawn('/bin/true').once('spawn', () => resolve()));
    spawnMs.push(performance.now() - t0);
  }

  // Load: 4 writers at 10 MB/s; follow job 1 through job.log and through tail -F.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  const jobs = Array.from({ length: 4 }, () =>
    session.jobs.enqueue({ runId: 'bench', step: 'load', argv: [process.execPath, WRITER, String(RATE), String(SECONDS)], tool: null, toolVersion: null, cwd }),
  );
  const first = jobs[0] as JobInfo;
  const ours: number[] = [];
  let carry = '';
  const off = session.events.subscribe((e) => {
    if (e.name !== 'job.log') return;
    const chunk = e.payload as { jobId: number; text: string };
    if (chunk.jobId !== first.id) return;
    const text = carry + chunk.text;
    const cut = text.lastIndexOf('\n');
    carry = text.slice(cut + 1);
    marks(text.slice(0, cut + 1), ours, Date.now());
  });
  await waitForStatus(session, first.id, ['running']);
  delay.enable();
  const logFile = join(session.workspace.layout.path, session.jobs.get(first.id).logFile as string);
  const peer: number[] = [];
  const tail = spawn('tail', ['-F', '-n', '0', logFile], { stdio: ['ignore', 'pipe', 'ignore'] });
  let peerCarry = '';
  tail.stdout.setEncoding('utf8');
  tail.stdout.on('data', (text: string) => {
    const all = peerCarry + text;
    const cut = all.lastIndexOf('\n');
    peerCarry = all.slice(cut + 1);
    marks(all.slice(0, cut + 1), peer, Date.now());
  });
  for (const job of jobs) await waitForStatus(session, job.id, ['completed', 'failed', 'killed']);
  delay.disable();
  off();
  tail.kill();
  session.close();
  rmSync(root, { recursive: true, force: true });

  const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '—');
  const rows: Array<[string, string, string, string]> = [
    ['event-loop delay p99 under 4×10 MB/s logs', `${ms(delay.percentile(99) / 1e6)} ms`, '< 50 ms', '—'],
    ['tail latency p50 (job.log event)', `${ms(percentile(ours, 50))} ms`, '', `${ms(percentile(peer, 50))} ms (tail -F)`],
    ['tail latency p99 (job.log event)', `${ms(percentile(ours, 99))} ms`, '< 250 ms', `${ms(percentile(peer, 99))} ms (tail -F)`],
    ['marks seen (of ~20/s)', `${ours.length}`, '', `${peer.length} (tail -F)`],
    ['job start overhead p50 (enqueue → running)', `${ms(percentile(startMs, 50))} ms`, '', `${ms(percentile(spawnMs, 50))} ms (bare spawn)`],
    ['job start overhead p99', `${ms(percentile(startMs, 99))} ms`, '', `${ms(percentile(spawnMs, 99))} ms (bare spawn)`],
  ];
  const widths = [0, 1, 2, 3].map((i) => Math.max(...[['measure', 'Benchtop', 'target', 'peer'], ...rows].map((r) => (r[i] as string).length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
  console.log(`Job runner, ${SECONDS} s of load`);
  console.log(line(['measure', 'Benchtop', 'target', 'peer']));
  for (const r of rows) console.log(line(r));
}

// The runner's timers and children are unref'd (jobs outlive the app): keep this process up until done.
const keepAlive = setInterval(() => {}, 1000);
await main();
clearInterval(keepAlive);
