/** Every error crosses every door as `{ ok: false, error: { code, message } }` with one of these codes. */
export const ERROR_CODES = [
  'invalid_request', // the request does not match the operation's schema
  'unknown_operation', // no such operation in the contract
  'not_found', // the thing named does not exist
  'conflict', // it exists already, or its state forbids the change
  'unsupported', // this door cannot do it (a native dialog in the browser)
  'outside_workspace', // a path leaves the workspace
  'db_too_new', // a database written by a newer Benchtop
  'io_error', // the file system refused
  'busy', // another process holds the database for a moment: try again
  'read_only', // the workspace cannot be written: it can only be browsed
  'internal', // a bug: the message says what happened
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ApiErrorBody {
  code: ErrorCode;
  message: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody };

/** Thrown by handlers and services; the dispatcher turns it into `{ ok: false, error }`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
  }
}

export function isApiErrorBody(value: unknown): value is ApiErrorBody {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.message === 'string' && (ERROR_CODES as readonly unknown[]).includes(v.code);
}
