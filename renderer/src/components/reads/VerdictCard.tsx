import type { QcCheck, QcVerdict, Verdict } from '../../../../shared/schemas/reads';
import { useId, useState } from 'react';
import { Card } from '../Card';
import { InfoNotice } from '../Notice';
import { formatCheckValue } from './format';

export function VerdictBadge({ verdict }: { verdict: Verdict | null }) {
  return <span className={`badge badge-${verdict ?? 'none'}`}>{verdict ?? 'not graded'}</span>;
}

function thresholds(check: QcCheck): string {
  const parts: string[] = [];
  if (check.min !== null) parts.push(`min ${formatCheckValue(check, check.min)}`);
  if (check.max !== null) parts.push(`max ${formatCheckValue(check, check.max)}`);
  if (check.target !== null) parts.push(`target ${formatCheckValue(check, check.target)}`);
  return parts.length > 0 ? parts.join(' · ') : 'no threshold set';
}

/**
 * A check's note behind a button: Tab, Enter and a tap open it (a hover title reaches neither keyboard
 * nor touch). The "i" is a letter in a CSS circle, so it renders with any font.
 */
function CheckNote({ label, note }: { label: string; note: string }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <>
      {' '}
      <button
        type="button"
        className="note-toggle"
        aria-expanded={open}
        aria-controls={id}
        aria-label={`About ${label}`}
        onClick={() => setOpen((o) => !o)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') setOpen(false);
        }}
      >
        i
      </button>
      <span id={id} className="check-note" role="note" hidden={!open}>
        {note}
      </span>
    </>
  );
}

/** Each threshold of the linked library: the measured value, its bounds and pass/warn/fail. */
export function VerdictCard({ verdict }: { verdict: QcVerdict | null }) {
  if (!verdict) {
    return (
      <Card title="QC verdict" span={2}>
        <p className="placeholder" data-placeholder>
          Grading…
        </p>
      </Card>
    );
  }
  if (verdict.state === 'no_library') {
    return (
      <Card title="QC verdict" span={2}>
        <div data-testid="verdict-none">
          <InfoNotice>
            No library linked to experiment <strong>{verdict.expId}</strong>: link a library spec to it on the{' '}
            <a className="link" href="#/libraries">
              Libraries
            </a>{' '}
            page to grade this run against its QC thresholds.
          </InfoNotice>
        </div>
      </Card>
    );
  }
  return (
    <Card
      title="QC verdict"
      span={2}
      flush
      actions={
        <span className="verdict-overall" data-testid="verdict-overall">
          Overall <VerdictBadge verdict={verdict.overall} />
        </span>
      }
    >
      <p className="card-intro verdict-intro">
        Against{' '}
        <a className="link" href={`#/libraries/${encodeURIComponent(verdict.library.lib_id)}`}>
          {verdict.library.lib_name}
        </a>{' '}
        <span className="muted">
          ({verdict.library.lib_id}
          {verdict.library.lib_version ? ` v${verdict.library.lib_version}` : ''})
        </span>
        {verdict.expectedConstructs.length > 0 ? <> · expected constructs: {verdict.expectedConstructs.join(', ')}</> : null}
        {verdict.defaultsUsed.length > 0 ? <span className="muted"> · seed defaults for {verdict.defaultsUsed.join(', ')}</span> : null}
      </p>
      <table className="table zebra" data-testid="verdict-table">
        <thead>
          <tr>
            <th scope="col">Check</th>
            <th scope="col" className="num">
              Measured
            </th>
            <th scope="col">Thresholds</th>
            <th scope="col">Verdict</th>
          </tr>
        </thead>
        <tbody>
          {verdict.checks.map((c) => (
            <tr key={c.id} data-testid={`check-${c.id}`}>
              <th scope="row">
                {c.label}
                {c.note ? <CheckNote label={c.label} note={c.note} /> : null}
              </th>
              <td className="num">{formatCheckValue(c, c.measured)}</td>
              <td className="muted">{thresholds(c)}</td>
              <td>
                <VerdictBadge verdict={c.verdict} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </Card>
  );
}
