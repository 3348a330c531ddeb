import type { WorkspaceInfo } from '../../../shared/schemas/workspace';
import type { SystemInfo } from '../../../shared/schemas/system';

export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Counts are exact integers: grouped digits, never abbreviated. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "1 experiment", "2 experiments". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export const WORKSPACE_SOURCE: Record<WorkspaceInfo['source'], string> = {
  flag: 'the --workspace option on the command line',
  env: 'the BENCHTOP_WORKSPACE environment variable',
  setting: 'your saved setting',
  default: 'the default location (~/Benchtop)',
  switched: 'switched here in Settings',
};

export const DEPLOYMENT_MODE: Record<SystemInfo['deploymentMode'], string> = {
  desktop: 'Desktop app',
  serve: 'Browser (benchtop serve)',
  cli: 'Command line',
};

/** Status words of basecall runs, analysis runs and jobs → a tone for the little status dot. */
export function statusTone(status: string): 'ok' | 'active' | 'bad' | 'warn' | 'idle' | 'done' {
  switch (status) {
    case 'complete':
    case 'completed':
      return 'ok';
    case 'analyzed':
      return 'done';
    case 'starting':
    case 'running':
      return 'active';
    case 'failed':
      return 'bad';
    case 'killed':
    case 'interrupted':
      return 'warn';
    default:
      return 'idle';
  }
}

export function formatTime(ms: number): string {
  return new Date(ms).toLocaleTimeString('en-GB', { hour12: false });
}

export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
