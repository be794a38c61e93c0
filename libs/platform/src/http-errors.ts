import { HttpException } from '@nestjs/common';
import {
  validateHttpInput,
  type HttpErrorBody,
  type HttpInputMap,
  type HttpPart,
  type HttpRoute,
} from '@oo/contracts';

export type { HttpErrorBody };

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

/**
 * Checks a request's body or query against the route's schema in schemas/http/ (a route without
 * a query schema takes no parameters); a bad one is a 400 naming the first field that is wrong,
 * unknown fields included. A missing body counts as `{}`.
 */
export function parseInput<R extends HttpRoute, P extends HttpPart<R>>(
  route: R,
  part: P,
  input: unknown,
): HttpInputMap[R][P] {
  const checked = validateHttpInput(route, part, input ?? {});
  if (checked.ok) return checked.value;
  const { field, message } = checked.error;
  throw httpError(
    400,
    'invalid_request',
    `${field}${message.startsWith('is ') ? ' ' : ': '}${message}`,
    field,
  );
}
