import { Inject, Injectable } from '@nestjs/common';
import { INTEGRATIONS_ENV, type IntegrationsEnv } from '../config/env.js';

/** What Todoist said to a revocation: `done` (revoked, or already unknown) or worth a retry. */
export type RevokeOutcome = 'revoked' | 'retry' | 'refused';

/**
 * `POST <TODOIST_API_URL>/revoke` (RFC 7009): Basic auth with the client id and secret, form
 * body `token`. Revoking the access token ends the whole grant. An unknown or already revoked
 * token answers 200 too, so a repeat is harmless. Never throws and never names the token.
 */
@Injectable()
export class TodoistRevoke {
  constructor(@Inject(INTEGRATIONS_ENV) private readonly env: IntegrationsEnv) {}

  async revoke(accessToken: string): Promise<{ outcome: RevokeOutcome; status: number | null }> {
    const credentials = Buffer.from(
      `${this.env.TODOIST_CLIENT_ID}:${this.env.TODOIST_CLIENT_SECRET}`,
    ).toString('base64');
    let response: Response;
    try {
      response = await fetch(`${this.env.TODOIST_API_URL.replace(/\/+$/, '')}/revoke`, {
        method: 'POST',
        headers: {
          authorization: `Basic ${credentials}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ token: accessToken }),
        signal: AbortSignal.timeout(this.env.TODOIST_TIMEOUT_MS),
      });
    } catch {
      return { outcome: 'retry', status: null };
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { outcome: 'revoked', status: response.status };
    // 5xx, 429 and a refused client (a secret being rotated) may pass; a malformed request will not.
    const retry = response.status >= 500 || response.status === 429 || response.status === 401;
    return { outcome: retry ? 'retry' : 'refused', status: response.status };
  }
}
