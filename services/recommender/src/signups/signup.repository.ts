import { Injectable } from '@nestjs/common';
import { PrismaClient } from '../generated/prisma/client.js';

/** What one sign-up event came to. */
export type SignupOutcome =
  | 'recorded' // a new user: the activation denominator grows by one
  | 'duplicate'; // the user is already recorded: a redelivery, or another event of the user

/**
 * `signup`: one row per user, the day a user joined, for activation.
 *
 * Idempotent by its key, the user id, not by a `processed_event` mark: a redelivery or a
 * second event of the user inserts nothing, and the first sign-up's day stays. A mark would
 * also outlive the user's deletion naming them, since auth's sign-up event id is the user id.
 */
@Injectable()
export class SignupRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async record(userId: string, signedUpAt: Date): Promise<SignupOutcome> {
    const { count } = await this.prisma.signup.createMany({
      data: [{ userId, signedUpAt }],
      skipDuplicates: true,
    });
    return count === 1 ? 'recorded' : 'duplicate';
  }
}
