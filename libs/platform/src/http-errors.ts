import { HttpException } from '@nestjs/common';
import { z } from '@oo/config';

/** The HTTP error body everywhere (ARCHITECTURE.md §4). */
export interface HttpErrorBody {
  error: { code: string; message: string; field?: string };
}

/** An HTTP error with the contract body: `{"error": {"code", "message", "field"?}}`. */
export function httpError(
  status: number,
  code: string,
  message: string,
  field?: string,
): HttpException {
  const body: HttpErrorBody = {
    error: field === undefined ? { code, message } : { code, message, field },
  };
  return new HttpException(body, status);
}

/** A query that must be empty: any parameter is an unknown field (400). */
export const NO_QUERY = z.object({}).strict();

/**
 * Parses a request body or query with a zod schema; a bad one is a 400 naming the first field
 * that is wrong (unknown fields too, when the schema is strict).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  what = 'body',
): z.infer<S> {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
  const path = [...issue.path, ...keys.slice(0, 1)].map(String).join('.');
  const field = path || what;
  const message =
    issue.code === 'unrecognized_keys'
      ? `${field} is not an allowed field`
      : `${field}: ${issue.message}`;
  throw httpError(400, 'invalid_request', message, field);
}
