import { SeqViz } from 'seqviz';
import { parseAnnotations } from '../../lib/annotations';

/** Feature colours that read on the map's light paper in both themes. */
const COLORS = ['#8fb8de', '#f3b27a', '#9ed39a', '#e79aa8', '#c6a8e6', '#f0d77b', '#84d1cf', '#d5b59a'];

/**
 * A construct's map drawn by seqviz: circular for a circular construct, linear otherwise, with its
 * features. `disableExternalFonts` keeps seqviz from asking Google Fonts for Roboto Mono (the app is
 * offline and its CSP allows no foreign origin): it uses the page's monospace font instead.
 */
export default function ConstructMap({ name, sequence, annotationsJson }: { name: string; sequence: string; annotationsJson: unknown }) {
  const annotations = parseAnnotations(annotationsJson);
  const features = (annotations.features ?? [])
    .filter((f) => f.type !== 'source' && Number.isInteger(f.start) && Number.isInteger(f.end))
    .map((f, i) => ({
      name: f.name ?? f.type ?? 'feature',
      start: f.start,
      end: f.end + 1,
      direction: f.strand === -1 ? -1 : 1,
      color: COLORS[i % COLORS.length],
    }));
  const circular = annotations.topology === 'circular';
  return (
    <div className="construct-map" data-testid="construct-map" data-viewer={circular ? 'circular' : 'linear'}>
      <SeqViz
        name={name}
        seq={sequence}
        annotations={features}
        viewer={circular ? 'circular' : 'linear'}
        showComplement={false}
        disableExternalFonts
        style={{ height: '100%', width: '100%' }}
        zoom={{ linear: 10 }}
      />
    </div>
  );
}
