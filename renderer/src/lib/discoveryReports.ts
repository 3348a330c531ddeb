import type { DiscoveryProgress } from '../../../shared/schemas/experiments';

/**
 * Which of two reports of one scan to show. Events and answers travel on different channels (the
 * event stream, the operation's reply) and may arrive in either order: a scan that has ended never
 * shows as running again, and a running scan's counts never go back.
 */
export function laterReport(current: DiscoveryProgress | null, next: DiscoveryProgress): DiscoveryProgress {
  if (current === null || current.scanId !== next.scanId) return next;
  if (current.state !== 'running') return current;
  if (next.state === 'running' && next.foldersScanned < current.foldersScanned) return current;
  return next;
}
