import { Injectable, Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { TodoistRevoke } from '../todoist/todoist-revoke.js';

/** Attempts before giving up, and the first back-off (doubled each time, with jitter). */
const MAX_ATTEMPTS = 8;
const FIRST_DELAY_MS = 1_000;

/**
 * Revokes a grant at Todoist in the background, so a Todoist that is down never holds up a
 * disconnect or an account deletion: the data is gone already, the revoke follows. Retried with
 * exponential back-off (about four minutes in all) while Todoist answers 5xx, 429, 401 or not
 * at all. Known gap: the retries live in this process — a restart, or Todoist down for longer,
 * drops the revoke (logged as `revoke_abandoned`); a durable record retried by a periodic job
 * would close it.
 */
@Injectable()
export class GrantRevocation {
  private readonly logger = new Logger(GrantRevocation.name);

  constructor(private readonly todoist: TodoistRevoke) {}

  /** Starts revoking and returns at once; the promise is for tests and never rejects. */
  revokeInBackground(userId: string, accessToken: string): Promise<boolean> {
    return this.revokeWithRetries(userId, accessToken).catch(() => false);
  }

  private async revokeWithRetries(userId: string, accessToken: string): Promise<boolean> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt += 1) {
      const { outcome, status } = await this.todoist.revoke(accessToken);
      if (outcome === 'revoked') {
        this.logger.log(`revoked the Todoist grant of ${userId} (attempt ${attempt})`);
        return true;
      }
      if (outcome === 'refused') break;
      this.logger.warn(
        `revoke for ${userId} not taken (attempt ${attempt}, status ${status ?? 'none'}); retrying`,
      );
      const backOff = FIRST_DELAY_MS * 2 ** (attempt - 1);
      await sleep(backOff / 2 + Math.random() * (backOff / 2), undefined, { ref: false });
    }
    this.logger.error(`revoke_abandoned for ${userId}: the Todoist grant may still be valid`);
    return false;
  }
}
