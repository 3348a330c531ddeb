import { Fragment } from 'react';

/** Segments up to this long never break inside; longer ones may, so nothing overflows its box. */
const UNBROKEN = 24;

/** A file path that, when it must wrap, wraps after a separator rather than mid-name. */
export function Path({ value }: { value: string }) {
  const parts = value.split(/(?<=[/\\])/);
  return (
    <span className="mono path" title={value}>
      {parts.map((part, i) => (
        <Fragment key={i}>
          {part.length <= UNBROKEN ? <span className="path-part">{part}</span> : part}
          {i < parts.length - 1 ? <wbr /> : null}
        </Fragment>
      ))}
    </span>
  );
}
