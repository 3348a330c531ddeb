import { SeqViz } from 'seqviz';
import { mapAnnotations, parseAnnotations } from '../../lib/annotations';

/**
 * A construct's map drawn by seqviz: circular for a circular construct, linear otherwise, with its
 * features. `disableExternalFonts` keeps seqviz from asking Google Fonts for Roboto Mono (the app is
 * offline and its CSP allows no foreign origin): it uses the page's monospace font instead.
 */
export default function ConstructMap({ name, sequence, annotationsJson }: { name: string; sequence: string; annotationsJson: unknown }) {
  const annotations = parseAnnotations(annotationsJson);
  const features = mapAnnotations(annotations);
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
