import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { SERVICES_HOLDING_USER_DATA } from '@oo/config';
import {
  createEnvelope,
  deadLetterSubject,
  userSignalsFilter,
  type ProfileDeleteResponse,
} from '@oo/contracts';
import {
  EventPublisher,
  jetstreamManager,
  NATS_CONNECTION,
  rpcFailure,
  Topology,
  type NatsConnection,
} from '@oo/messaging';
import { v7 as uuidv7 } from 'uuid';
import { DeletionRepository, type StoredDeletion } from './deletion.repository.js';

/**
 * The deletion saga, owned by profile: the request is recorded and `signals.user.deleted.<u>`
 * published together; services purge and confirm; SIGNALS and the user's dead letters are
 * purged last.
 */
const SWEEP_MS = 30_000;
/** A deletion not finished after this long is pushed again (a crash or a lost step). */
const RETRY_AFTER_MS = 2 * 60_000;

@Injectable()
export class DeletionService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(DeletionService.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deletions: DeletionRepository,
    private readonly publisher: EventPublisher,
    private readonly topology: Topology,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(
      () =>
        void this.sweep().catch((error: unknown) => {
          this.logger.warn(`deletion sweep failed: ${(error as Error).message}`);
        }),
      SWEEP_MS,
    ).unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /**
   * A service confirmed its purge. Once all have, the user's history leaves SIGNALS and
   * DEADLETTER (last, so that no slow consumer misses the deletion event) and the request is
   * done.
   */
  async confirm(userId: string, service: string, now = new Date()): Promise<void> {
    const deletion = await this.deletions.confirm(userId, service);
    // `user.deleted` leaves inside the request's transaction, so a quick service can confirm
    // before the request's row is committed. Thrown, the confirmation comes back with back-off
    // until the row is there (dropped, it would wait for the sweep's announcement minutes later).
    if (!deletion) {
      throw new Error(`no deletion of ${userId} is recorded (yet) for ${service}'s confirmation`);
    }
    await this.finishIfConfirmed(deletion, now);
  }

  /**
   * Resumes what a crash or a lost message left: finished confirmations get their SIGNALS purge,
   * and deletions still waiting are announced again (same event id: purges are idempotent).
   */
  async sweep(now = new Date()): Promise<void> {
    for (const deletion of await this.deletions.unfinished(
      new Date(now.getTime() - RETRY_AFTER_MS),
    )) {
      if (await this.finishIfConfirmed(deletion, now)) continue;
      await this.publisher.publishEnvelope(
        createEnvelope(
          'user.deleted',
          deletion.userId,
          { requestedAt: deletion.requestedAt.toISOString() },
          { id: deletion.eventId },
        ),
      );
    }
  }

  private async finishIfConfirmed(deletion: StoredDeletion, now: Date): Promise<boolean> {
    const waiting = SERVICES_HOLDING_USER_DATA.some(
      (service) => !deletion.confirmedBy.includes(service),
    );
    if (waiting || deletion.completedAt) return !waiting;
    await this.purgeSignals(deletion.userId);
    await this.deletions.markSignalsPurged(deletion.userId, now);
    return true;
  }

  /**
   * Every signal of the user, and every dead-lettered copy of one (`deadletter.<service>.
   * signals.*.*.<u>`: they hold the same payloads, task titles included). SIGNALS first, so a
   * consumer that gives up on one of the user's messages meanwhile no longer finds it to copy.
   */
  private async purgeSignals(userId: string): Promise<void> {
    const jsm = await jetstreamManager(this.nc);
    const signals = userSignalsFilter(userId);
    await jsm.streams.purge(this.topology.signalsStream, { filter: this.topology.wire(signals) });
    await jsm.streams.purge(this.topology.deadLetterStream, {
      filter: this.topology.wire(deadLetterSubject('*', signals)),
    });
  }

  /** Starts the deletion (idempotent: asking again reports how far it has come). */
  async request(userId: string, now = new Date()): Promise<ProfileDeleteResponse> {
    const existing = await this.deletions.find(userId);
    if (existing) return present(existing);
    const eventId = uuidv7();
    const created = await this.deletions.create(userId, eventId, async () => {
      await this.publisher.publishEnvelope(
        createEnvelope('user.deleted', userId, { requestedAt: now.toISOString() }, { id: eventId }),
      );
    });
    const stored = created ?? (await this.deletions.find(userId));
    if (!stored) throw new Error(`deletion of ${userId} was neither created nor found`);
    return present(stored);
  }

  async status(userId: string): Promise<ProfileDeleteResponse> {
    const stored = await this.deletions.find(userId);
    if (!stored) throw rpcFailure('not_found', `No deletion was requested for ${userId}`, 'userId');
    return present(stored);
  }
}

function present(deletion: StoredDeletion): ProfileDeleteResponse {
  const waitingFor = SERVICES_HOLDING_USER_DATA.filter(
    (service) => !deletion.confirmedBy.includes(service),
  );
  const status = deletion.completedAt
    ? 'done'
    : waitingFor.length === 0
      ? 'purging_signals'
      : 'pending';
  return {
    userId: deletion.userId,
    status,
    requestedAt: deletion.requestedAt.toISOString(),
    confirmedBy: deletion.confirmedBy,
    waitingFor,
    ...(deletion.completedAt ? { completedAt: deletion.completedAt.toISOString() } : {}),
  };
}
