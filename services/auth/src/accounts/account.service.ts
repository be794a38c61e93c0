import { Injectable } from '@nestjs/common';
import { createEnvelope } from '@oo/contracts';
import { EventPublisher } from '@oo/messaging';
import { AccountRepository, type Account, type Identity } from './account.repository.js';

/** Signing in: the identity's user, created (and announced) on first sign-in. */
@Injectable()
export class AccountService {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly publisher: EventPublisher,
  ) {}

  async signIn(identity: Identity): Promise<{ account: Account; created: boolean }> {
    const existing = await this.accounts.findByIdentity(identity.provider, identity.subject);
    if (existing) return { account: existing, created: false };
    const created = await this.accounts.create(identity, async (account) => {
      // The event id is the user id: a retried publish is dropped by the stream as a duplicate.
      await this.publisher.publishEnvelope(
        createEnvelope('user.signed_up', account.id, {}, { id: account.id }),
      );
    });
    if (created) return { account: created, created: true };
    const winner = await this.accounts.findByIdentity(identity.provider, identity.subject);
    if (!winner) throw new Error('sign-in lost a race and found no user');
    return { account: winner, created: false };
  }
}
