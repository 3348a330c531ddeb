import { lazy, Suspense, useId, useState } from 'react';
import type { ApiErrorBody } from '../../../../shared/errors';
import { CHILD_DEFS, type LibraryDetail } from '../../../../shared/schemas/libraries';
import { parseAnnotations } from '../../lib/annotations';
import { toErrorBody } from '../../lib/errors';
import { formatCount } from '../../lib/labels';
import { request } from '../../stores/connectionStore';
import { Card } from '../Card';
import { KeyValues } from '../KeyValues';
import { EmptyState, ErrorNotice, InfoNotice } from '../Notice';
import { PathInput } from '../PathInput';
import { useLookupChoices } from './RowForm';
import { gcPercent, text, type Reload } from './values';

const ConstructMap = lazy(() => import('./ConstructMap'));

export function ImportConstructs({ libId, onChange }: { libId: string; onChange: Reload }) {
  const typeId = useId();
  const [path, setPath] = useState('');
  const [type, setType] = useState('');
  const [error, setError] = useState<ApiErrorBody | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const types = useLookupChoices([CHILD_DEFS.constructs.fields.find((f) => f.name === 'construct_type')!]).construct_type ?? [];

  async function submit() {
    setError(null);
    setNote(null);
    if (!path.trim()) {
      setError({ code: 'invalid_request', message: 'Type or choose the path of a FASTA, GenBank or SnapGene file.' });
      return;
    }
    setBusy(true);
    try {
      const result = await request('libraries.importConstructs', { libId, path: path.trim(), ...(type ? { constructType: type } : {}) });
      setNote(`Imported ${result.ids.length} construct${result.ids.length === 1 ? '' : 's'} from ${path.trim()}.`);
      setPath('');
      onChange(result.library);
    } catch (err) {
      setError(toErrorBody(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="import-constructs" role="group" aria-label="Import constructs from a file">
      <p className="field-help">
        From a FASTA, GenBank (.gb) or SnapGene (.dna) file on the computer running Benchtop: one construct per record, with its sequence, length, GC and
        features.
      </p>
      <div className="input-row">
        <PathInput value={path} onChange={setPath} label="sequence file" testId="construct-file" placeholder="/path/to/construct.gb" />
        <select id={typeId} className="input narrow" value={type} onChange={(e) => setType(e.target.value)} aria-label="Construct type">
          <option value="">Type: from the file</option>
          {types.map((t) => (
            <option key={t.value} value={t.value}>
              {t.value}
            </option>
          ))}
        </select>
        <button type="button" className="button primary" onClick={() => void submit()} disabled={busy}>
          {busy ? 'Importing…' : 'Import'}
        </button>
      </div>
      {error ? <ErrorNotice error={error} compact /> : null}
      {note ? <InfoNotice tone="ok">{note}</InfoNotice> : null}
    </div>
  );
}

/** The map of one construct (seqviz, loaded on demand) beside its facts. */
export function ConstructPanel({ lib }: { lib: LibraryDetail }) {
  const withSequence = lib.constructs.filter((c) => typeof c.sequence === 'string' && c.sequence.length > 0);
  const [selected, setSelected] = useState<string>(text(withSequence[0]?.construct_id));
  const construct = withSequence.find((c) => text(c.construct_id) === selected) ?? withSequence[0];
  if (!construct) return null;
  const annotations = parseAnnotations(construct.annotations_json);
  const features = (annotations.features ?? []).filter((f) => f.type !== 'source');
  return (
    <Card
      title="Construct map"
      span={3}
      actions={
        withSequence.length > 1 ? (
          <select className="input narrow" value={text(construct.construct_id)} onChange={(e) => setSelected(e.target.value)} aria-label="Construct to show">
            {withSequence.map((c) => (
              <option key={text(c.construct_id)} value={text(c.construct_id)}>
                {text(c.name)}
              </option>
            ))}
          </select>
        ) : null
      }
    >
      <div className="construct-layout">
        <KeyValues
          items={[
            { label: 'Construct', value: text(construct.name), testId: 'construct-name' },
            { label: 'Length', value: `${formatCount(Number(construct.length))} bp`, testId: 'construct-length' },
            { label: 'GC', value: gcPercent(construct.gc_content) ?? '—', testId: 'construct-gc' },
            { label: 'Topology', value: annotations.topology ?? '—' },
            { label: 'Features', value: features.length ? features.map((f) => f.name ?? f.type).join(', ') : 'none' },
            { label: 'Organism', value: text(construct.organism) || '—' },
            { label: 'Accession', value: text(construct.genbank_accession) || '—', mono: true },
            { label: 'Source', value: construct.source_file ? `${text(construct.source_file)} (${text(construct.source_format)})` : '—', path: Boolean(construct.source_file) },
          ]}
        />
        <Suspense fallback={<EmptyState>Drawing the map…</EmptyState>}>
          <ConstructMap key={text(construct.construct_id)} name={text(construct.name)} sequence={text(construct.sequence)} annotationsJson={construct.annotations_json} />
        </Suspense>
      </div>
    </Card>
  );
}
