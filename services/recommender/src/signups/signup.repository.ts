import { Injectable } from '@nestjs/common';
import { markProcessed } from '@oo/database';
import { PrismaClient } from '../generated/prisma/client.js';

/** The `processed_event` consumer name of the sign-up path. */
export const SIGNUP_CONSUMER = 'recommender.user-signed-up';

/** What one sign-up event came to. */
export type SignupOutcome =
  | 'recorded' // a new user: the activation denominator grows by one
  | 'duplicate'; // the event was handled before, or the user is already recorded (another event)

/**
 * `signup`: one row per user, the day a user joined, for activation. The row and the event's
 * `processed_event` mark commit together, so a redelivery changes nothing.
 */
@Injectable()
export class SignupRepository {
  constructor(private readonly prisma: PrismaClient) {}

  async record(eventId: string, userId: string, signedUpAt: Date): Promise<SignupOutcome> {
    return this.prisma.$transaction(async (tx) => {
      if (!(await markProcessed(tx, SIGNUP_CONSUMER, eventId))) return 'duplicate';
      // A second event of the same user (another id) keeps the first sign-up's day.
      const { count } = await tx.signup.createMany({
        data: [{ userId, signedUpAt }],
        skipDuplicates: true,
      });
      return count === 1 ? 'recorded' : 'duplicate';
    });
  }
}
