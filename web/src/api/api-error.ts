/** What went wrong with a call to oO's server, in the shape of its error body. */
export class ApiError extends Error {
  /** The HTTP status; 0 when no answer came (offline, timed out). */
  readonly status: number;
  /** Stable and machine-readable: `not_found`, `conflict`, `timeout`, `network`, … */
  readonly code: string;
  /** The offending field, when the server named one (`quietHours.start`). */
  readonly field: string | undefined;
  /** Whether the message is the server's own words, worth showing as they are. */
  readonly fromServer: boolean;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    field?: string | undefined;
    fromServer: boolean;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.field = init.field;
    this.fromServer = init.fromServer;
  }
}

/** Reads `{"error": {"code", "message", "field"?}}`; anything else becomes a generic error. */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  const body: unknown = await response.json().catch(() => undefined);
  const error = isRecord(body) && isRecord(body['error']) ? body['error'] : undefined;
  const code = typeof error?.['code'] === 'string' ? error['code'] : `http_${response.status}`;
  const message = typeof error?.['message'] === 'string' ? error['message'] : undefined;
  const field = typeof error?.['field'] === 'string' ? error['field'] : undefined;
  return new ApiError({
    status: response.status,
    code,
    message: message ?? `The server answered ${response.status}.`,
    field,
    fromServer: message !== undefined,
  });
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null;
