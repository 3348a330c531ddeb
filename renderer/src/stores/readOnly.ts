import { useSystemStore } from './systemStore';

/** Why the open workspace cannot be changed, or null when it can: writing actions are off while set. */
export function useReadOnly(): string | null {
  return useSystemStore((s) => (s.workspace?.readOnly ? (s.workspace.readOnlyReason ?? 'it cannot be written') : null));
}

/** The tooltip of a button that is off because the workspace is read-only. */
export function readOnlyTitle(reason: string | null): string | undefined {
  return reason === null ? undefined : `This workspace is read-only (${reason}).`;
}
