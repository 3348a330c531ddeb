import { formatCount } from '../lib/labels';
import { EmptyState } from './Notice';
import { StatusLabel } from './StatusDot';

/** Counts by status (seed 000's orchestrator status), with a total. */
export function StatusTable({ counts, noun, empty, testId }: { counts: Record<string, number>; noun: string; empty: string; testId?: string }) {
  const entries = Object.entries(counts);
  if (entries.length === 0) return <EmptyState>{empty}</EmptyState>;
  const total = entries.reduce((n, [, c]) => n + c, 0);
  return (
    <table className="table compact" data-testid={testId}>
      <thead>
        <tr>
          <th scope="col">Status</th>
          <th scope="col" className="num">
            {noun}
          </th>
        </tr>
      </thead>
      <tbody>
        {entries.map(([status, n]) => (
          <tr key={status} data-status={status}>
            <th scope="row">
              <StatusLabel status={status} />
            </th>
            <td className={n === 0 ? 'num zero' : 'num'}>{formatCount(n)}</td>
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Total</th>
          <td className="num" data-testid={testId ? `${testId}-total` : undefined}>
            {formatCount(total)}
          </td>
        </tr>
      </tfoot>
    </table>
  );
}
