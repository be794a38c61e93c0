import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { backoffDelay } from '@oo/messaging';
import { TodoistRevoke } from '../todoist/todoist-revoke.js';
import {
  PendingRevocationRepository,
  type DueRevocation,
} from './pending-revocation.repository.js';

/** First back-off (doubled per attempt, with jitter) and its ceiling. */
const REVOKE_BACKOFF = { initialMs: 1_000, maxMs: 10 * 60_000 };
/** After this long a grant is given up on (`revoke_abandoned`); the provider's own expiry remains. */
export const GIVE_UP_AFTER_MS = 24 * 60 * 60_000;
/**
 * A claimed row is left alone this long by the other instances. A claim's rows are tried
 * together, so the lease only has to outlast one revoke (TODOIST_TIMEOUT_MS, 10 s by default)
 * and the writes after it.
 */
const LEASE_MS = 60_000;
/** Rows per claim, tried at once: revokes of different users share no budget. */
const BATCH = 20;
/** Looks for rows another instance queued (and whose instance stopped) at least this often. */
const IDLE_POLL_MS = 30_000;

/**
 * Works off `pending_revocation` in the background, so a provider that is down never holds up
 * a disconnect or an account deletion: the data is gone already, the revoke follows and
 * survives a restart. Each row is tried at once, then with exponential back-off while Todoist
 * answers 5xx, 429, 401 or nothing; it is deleted when Todoist takes the revoke (an unknown
 * token answers 200 too), refuses the request (other 4xx: retrying cannot help), or after 24 h
 * (`revoke_abandoned`). Stops between attempts on shutdown; a row in flight is retried by
 * whichever instance runs next, once its lease ends.
 */
@Injectable()
export class GrantRevocation implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(GrantRevocation.name);
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly pending: PendingRevocationRepository,
    private readonly todoist: TodoistRevoke,
  ) {}

  onApplicationBootstrap(): void {
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Works off what is due now (a row was just queued); returns at once. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.drain()
      .then(() => this.pending.nextDue())
      // Wake up when the earliest row is due, or after a while to pick up others' rows.
      .then((next) => this.wakeIn(next === undefined ? IDLE_POLL_MS : next.getTime() - Date.now()))
      .catch((error: unknown) => {
        this.logger.error(`revocation worker failed: ${(error as Error).message}`);
        this.wakeIn(IDLE_POLL_MS);
      })
      .finally(() => {
        this.running = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const due = await this.pending.claimDue(BATCH, LEASE_MS);
      if (due.length === 0) return;
      // One after another, a batch of slow answers would outlive the lease, and another
      // instance would claim (and revoke) the rest of it a second time.
      // Settled, not all: one failing attempt must not end the batch while the rest still run.
      const attempts = await Promise.allSettled(due.map((revocation) => this.attempt(revocation)));
      const failed = attempts.find((outcome) => outcome.status === 'rejected');
      if (failed) throw failed.reason;
    }
  }

  private async attempt(revocation: DueRevocation): Promise<void> {
    const { id, userId, accessToken, attempts, createdAt } = revocation;
    if (accessToken === null) {
      this.logger.error(`revoke_abandoned for ${userId}: the stored token does not decrypt`);
      await this.pending.remove(id);
      return;
    }
    const { outcome, status } = await this.todoist.revoke(accessToken);
    if (outcome === 'revoked') {
      this.logger.log(`revoked the Todoist grant of ${userId} (attempt ${attempts})`);
      await this.pending.remove(id);
      return;
    }
    if (outcome === 'refused' || Date.now() - createdAt.getTime() >= GIVE_UP_AFTER_MS) {
      this.logger.error(
        `revoke_abandoned for ${userId} (status ${status ?? 'none'}, attempt ${attempts}): ` +
          'the Todoist grant may still be valid',
      );
      await this.pending.remove(id);
      return;
    }
    const delay = backoffDelay(attempts, REVOKE_BACKOFF);
    this.logger.warn(
      `revoke for ${userId} not taken (attempt ${attempts}, status ${status ?? 'none'}); retrying`,
    );
    await this.pending.retryAt(id, new Date(Date.now() + delay));
  }

  private wakeIn(ms: number): void {
    if (this.stopped) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.kick(), Math.min(Math.max(ms, 0), IDLE_POLL_MS));
    this.timer.unref();
  }
}
