import { readdirSync, readFileSync, statSync } from 'node:fs';

/**
 * What Linux says about a process, read from /proc. A pid alone does not name a process for long:
 * pids are reused, so a job is identified by its pid together with its start time (field 22 of
 * /proc/<pid>/stat, in clock ticks since boot) and the boot it belongs to.
 */
export interface ProcStat {
  pid: number;
  state: string;
  pgrp: number;
  startTime: string;
}

let cachedBootId: string | undefined;

/** This boot's random id (/proc/sys/kernel/random/boot_id), or 'unknown-boot' where there is none. */
export function bootId(): string {
  if (cachedBootId === undefined) {
    try {
      cachedBootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || 'unknown-boot';
    } catch {
      cachedBootId = 'unknown-boot';
    }
  }
  return cachedBootId;
}

/** /proc/<pid>/stat parsed, or null when there is no such process. */
export function procStat(pid: number): ProcStat | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  return parseProcStat(text);
}

/** Field 2 (the command name) is in parentheses and may itself hold spaces and parentheses. */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number(text.slice(0, text.indexOf(' ')));
  // After ") " come fields 3 (state), 4 (ppid), 5 (pgrp) … 22 (starttime).
  const rest = text.slice(close + 2).trim().split(/\s+/);
  const state = rest[0];
  const pgrp = Number(rest[2]);
  const startTime = rest[19];
  if (state === undefined || startTime === undefined || !Number.isFinite(pgrp)) return null;
  return { pid, state, pgrp, startTime };
}

/** The identity stored with a job: `<boot id> <start time>`. */
export function procIdentity(pid: number): string | null {
  const stat = procStat(pid);
  return stat === null ? null : `${bootId()} ${stat.startTime}`;
}

/** True when `pid` is a live (not zombie) process whose identity is `identity`. */
export function isSameProcess(pid: number | null, identity: string | null): boolean {
  if (pid === null || identity === null) return false;
  const stat = procStat(pid);
  if (stat === null || stat.state === 'Z' || stat.state === 'X') return false;
  return `${bootId()} ${stat.startTime}` === identity;
}

/**
 * The live processes of this user that lead their own process group, with their command lines
 * (empty where there is no /proc). Another user's processes are skipped, and so is a process
 * that ends while it is read.
 */
export function ownGroupLeaders(): { pid: number; argv: string[] }[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const uid = process.getuid?.();
  const leaders: { pid: number; argv: string[] }[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    try {
      if (uid !== undefined && statSync(`/proc/${pid}`).uid !== uid) continue;
      const stat = procStat(pid);
      if (stat === null || stat.pgrp !== pid || stat.state === 'Z' || stat.state === 'X') continue;
      // NUL-separated, with a trailing NUL.
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (argv.at(-1) === '') argv.pop();
      leaders.push({ pid, argv });
    } catch {
      // gone meanwhile (ENOENT, ESRCH) or not ours to read (EACCES)
    }
  }
  return leaders;
}

/** The live (not zombie) processes of a process group. */
export function groupMembers(pgid: number): number[] {
  if (!Number.isInteger(pgid) || pgid <= 1) return [];
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return [];
  }
  const members: number[] = [];
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    // No /proc (not Linux): the group answers signals, so something of it is there.
    return [pgid];
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = procStat(Number(entry));
    if (stat !== null && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') members.push(stat.pid);
  }
  return members;
}

/** Sends a signal to a whole process group; false when the group is gone. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  if (!Number.isInteger(pgid) || pgid <= 1) return false;
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Whether a process with this pid exists (one we may not signal counts). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
