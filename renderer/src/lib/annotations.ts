/** annotations_json as Benchtop writes it on import (bio-parsers' features: 0-based, end inclusive). */
export interface Annotations {
  topology?: 'circular' | 'linear';
  features?: { name?: string; type?: string; start: number; end: number; strand?: number }[];
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
