import { RpcCallError } from '@oo/messaging';
import { httpError } from '@oo/platform';

/** A service call's failure as the HTTP error users see: 400 with the field, 503 when down. */
export async function serviceCall<T>(service: string, call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (!(error instanceof RpcCallError)) throw error;
    switch (error.code) {
      case 'invalid_request':
        throw httpError(400, 'invalid_request', error.message, error.field);
      case 'not_found':
        throw httpError(404, 'not_found', error.message, error.field);
      case 'conflict':
        throw httpError(409, 'conflict', error.message, error.field);
      case 'timeout':
      case 'no_responders':
      case 'unavailable':
        throw httpError(
          503,
          'unavailable',
          `The ${service} service is not answering; try again shortly`,
        );
      case 'internal':
        throw httpError(500, 'internal', 'Something went wrong on our side');
    }
  }
}
