import { operations, isOpName, type OpName, type OpParsedRequest, type OpResponse } from '../../shared/contract';
import { ApiError, type ApiResult } from '../../shared/errors';
import { describeIssues } from '../../shared/format';
import { databaseError } from '../../db/errors';

export type Handler<K extends OpName> = (request: OpParsedRequest<K>) => OpResponse<K> | Promise<OpResponse<K>>;
export type HandlerTable = { [K in OpName]: Handler<K> };

/** The open workspace as errors need it: the database file to name, and why it is read-only (null if it is not). */
export interface ErrorContext {
  databaseFile: string;
  readOnly: string | null;
}

/**
 * The one entry point behind every door: check the operation exists, validate the request against
 * its schema (nothing runs on a malformed request), run the handler, check the response, and turn
 * every failure into `{ ok: false, error }`. It never throws.
 */
export async function dispatch(handlers: HandlerTable, op: unknown, request: unknown, context?: ErrorContext): Promise<ApiResult<unknown>> {
  if (!isOpName(op)) {
    return fail('unknown_operation', `There is no operation ${JSON.stringify(op)}.`);
  }
  const def = operations[op];
  const parsed = def.request.safeParse(request === undefined ? {} : request);
  if (!parsed.success) {
    return fail('invalid_request', `${op}: ${describeIssues(parsed.error.issues)}`);
  }
  try {
    const handler = handlers[op] as (req: unknown) => unknown;
    const value = await handler(parsed.data);
    const checked = def.response.safeParse(value);
    if (!checked.success) {
      return fail('internal', `${op} produced a response that breaks the contract: ${describeIssues(checked.error.issues)}`);
    }
    return { ok: true, value: checked.data };
  } catch (err) {
    return errorResult(err, context);
  }
}

export function errorResult(err: unknown, context?: ErrorContext): { ok: false; error: { code: ApiError['code']; message: string } } {
  if (err instanceof ApiError) return fail(err.code, err.message);
  if (context) {
    const known = databaseError(err, context.databaseFile, context.readOnly);
    if (known) return fail(known.code, known.message);
  }
  const e = err as NodeJS.ErrnoException;
  if (context?.readOnly && e && ['EROFS', 'EACCES', 'EPERM', 'ENOSPC'].includes(String(e.code))) {
    return fail('read_only', `This workspace is read-only (${context.readOnly}): ${e.message}`);
  }
  if (e && e.code === 'ENOSPC') {
    return fail('io_error', `The disk is full: ${e.path ?? 'a file'} could not be written. Free some space and try again.`);
  }
  if (e && typeof e.code === 'string' && ['ENOENT', 'EACCES', 'EPERM', 'EROFS', 'EEXIST', 'ENOTDIR', 'EISDIR'].includes(e.code)) {
    return fail('io_error', e.message);
  }
  return fail('internal', err instanceof Error ? err.message : String(err));
}

function fail(code: ApiError['code'], message: string) {
  return { ok: false as const, error: { code, message } };
}
