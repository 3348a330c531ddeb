import type { LibraryDetail } from '../../../../shared/schemas/libraries';

export type Reload = (lib: LibraryDetail) => void;

/** A cell of a library row as text ('' for null). */
export function text(v: unknown): string {
  return v === null || v === undefined ? '' : String(v);
}

/** A GC fraction as a percentage, or null. */
export function gcPercent(v: unknown): string | null {
  return typeof v === 'number' ? `${(v * 100).toFixed(1)} %` : null;
}
