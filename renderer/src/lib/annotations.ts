/** annotations_json as Benchtop writes it on import (bio-parsers' features: 0-based, end inclusive). */
export interface Annotations {
  topology?: 'circular' | 'linear';
  features?: { name?: string; type?: string; start: number; end: number; strand?: number; segments?: { start: number; end: number }[] }[];
}

export function parseAnnotations(json: unknown): Annotations {
  if (typeof json !== 'string' || json === '') return {};
  try {
    const parsed = JSON.parse(json) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Annotations) : {};
  } catch {
    return {};
  }
}

/** Feature colours that read on the map's light paper in both themes. */
const COLORS = ['#8fb8de', '#f3b27a', '#9ed39a', '#e79aa8', '#c6a8e6', '#f0d77b', '#84d1cf', '#d5b59a'];

export interface MapAnnotation {
  name: string;
  start: number;
  /** Exclusive, as seqviz takes it. */
  end: number;
  direction: 1 | -1;
  color: string;
}

/**
 * The features as seqviz annotations. seqviz draws contiguous stretches only: a join() feature is
 * drawn as its segments, each named "name (k/n)", all in the feature's colour.
 */
export function mapAnnotations(annotations: Annotations): MapAnnotation[] {
  return (annotations.features ?? [])
    .filter((f) => f.type !== 'source' && Number.isInteger(f.start) && Number.isInteger(f.end))
    .flatMap((f, i) => {
      const name = f.name ?? f.type ?? 'feature';
      const segments = (f.segments ?? []).filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end));
      const parts = segments.length > 1 ? segments.map((s, k) => ({ ...s, name: `${name} (${k + 1}/${segments.length})` })) : [{ start: f.start, end: f.end, name }];
      const direction = f.strand === -1 ? -1 : 1;
      return parts.map((p) => ({ name: p.name, start: p.start, end: p.end + 1, direction, color: COLORS[i % COLORS.length]! }));
    });
}
