import type { ReactNode } from 'react';
import type { ApiErrorBody } from '../../../shared/errors';

const CODE_TITLES: Partial<Record<ApiErrorBody['code'], string>> = {
  conflict: 'Not possible',
  invalid_request: 'Not accepted',
  not_found: 'Not found',
  unsupported: 'Not available here',
  outside_workspace: 'Outside the workspace',
  db_too_new: 'Database from a newer Benchtop',
  io_error: 'File system or connection problem',
  busy: 'Database busy',
  read_only: 'Read-only workspace',
  internal: 'Something went wrong',
};

/**
 * An error from the API, as the server worded it, under a title in words. The code itself is not
 * shown (it means nothing at the bench); it stays on the element for bug reports and tests.
 */
export function ErrorNotice({ error, title, compact }: { error: ApiErrorBody; title?: string; compact?: boolean }) {
  return (
    <div className={compact ? 'notice notice-error compact' : 'notice notice-error'} role="alert" data-code={error.code}>
      <strong className="notice-title">{title ?? CODE_TITLES[error.code] ?? 'Error'}</strong>
      <span className="notice-message">{error.message}</span>
    </div>
  );
}

export function InfoNotice({ children, tone = 'info' }: { children: ReactNode; tone?: 'info' | 'ok' | 'warn' }) {
  return (
    <div className={`notice notice-${tone}`} role="status">
      {children}
    </div>
  );
}

export function EmptyState({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
