/**
 * The Content-Security-Policy of every page Benchtop shows, in Electron (app://) and in the browser
 * (benchtop serve): only the app's own scripts, no plugins, no framing, no foreign connections.
 * Inline styles stay allowed because plotting and map libraries set them.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A run's own files (FastQC's HTML report …), shown in a frame: no scripts, no network, only their own images and inline styles. */
export const RUN_FILE_CSP = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'";
