import type { ReactNode } from 'react';
import { Path } from './Path';

export interface KeyValue {
  label: string;
  /** null while loading: a quiet placeholder keeps the layout still. */
  value: ReactNode | null;
  mono?: boolean;
  /** A file path: monospace, wrapping after separators. */
  path?: boolean;
  hint?: ReactNode;
  testId?: string;
}

/** Label/value pairs in two aligned columns (or, with `columns`, flowing across the card). */
export function KeyValues({ items, columns }: { items: KeyValue[]; columns?: boolean }) {
  return (
    <dl className={columns ? 'kv kv-columns' : 'kv'}>
      {items.map((item) => (
        <div className="kv-row" key={item.label}>
          <dt>{item.label}</dt>
          <dd className={item.mono ? 'mono' : undefined} data-testid={item.testId}>
            {item.value === null || item.value === undefined ? <Placeholder /> : item.path && typeof item.value === 'string' ? <Path value={item.value} /> : item.value}
            {item.hint ? <div className="kv-hint">{item.hint}</div> : null}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** A value not loaded yet: a quiet dash that keeps the layout still (announced as "Loading"). */
export function Placeholder() {
  return (
    <span className="placeholder" data-placeholder="">
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">Loading</span>
    </span>
  );
}
