import { useReadOnly } from '../stores/readOnly';

/** Above every page while the workspace is read-only, so a disabled button never goes unexplained. */
export function ReadOnlyBanner() {
  const reason = useReadOnly();
  if (reason === null) return null;
  return (
    <div className="notice notice-warn read-only-banner" role="status" data-testid="read-only-banner">
      This workspace is read-only ({reason}): you can browse it; creating, importing and launching are off.
    </div>
  );
}
