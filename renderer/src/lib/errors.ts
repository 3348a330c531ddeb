import { ApiError, type ApiErrorBody } from '../../../shared/errors';

/** Any thrown value as the `{code, message}` every door reports errors with. */
export function toErrorBody(error: unknown): ApiErrorBody {
  if (error instanceof ApiError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal', message: error.message };
  return { code: 'internal', message: String(error) };
}
