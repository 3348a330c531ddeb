import { useId, type ReactNode } from 'react';

/** A titled region with a hairline border; `span` widens it in the page grid. */
export function Card({
  title,
  actions,
  children,
  span,
  className,
  flush,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  span?: 2 | 3;
  className?: string;
  /** No body padding: for a table that runs edge to edge. */
  flush?: boolean;
}) {
  const id = useId();
  const classes = ['card', span ? `span-${span}` : '', className ?? ''].filter(Boolean).join(' ');
  return (
    <section className={classes} aria-labelledby={id}>
      <header className="card-header">
        <h2 id={id}>{title}</h2>
        {actions ? <div className="card-actions">{actions}</div> : null}
      </header>
      <div className={flush ? 'card-body flush' : 'card-body'}>{children}</div>
    </section>
  );
}
