/**
 * What markProcessed needs from a Prisma client or interactive-transaction client. Every
 * service's generated client fits, so this lib does not depend on any of them.
 */
export interface RawSqlExecutor {
  $executeRaw(query: TemplateStringsArray, ...values: unknown[]): PromiseLike<number>;
}

/**
 * Records that `consumer` handled event `eventId` in the service's `processed_event` table.
 * Resolves to true the first time and false when the mark already exists, i.e. the event is
 * a redelivery whose effect is already committed. Call it inside the same interactive
 * transaction as the event's effect, so both commit or neither does:
 *
 * ```ts
 * await prisma.$transaction(async (tx) => {
 *   if (!(await markProcessed(tx, 'profile.user-signed-up', event.id))) return;
 *   await tx.profile.create({ … });
 * });
 * ```
 *
 * The table is found through the search_path set by {@link createPrismaAdapter}.
 */
export async function markProcessed(
  tx: RawSqlExecutor,
  consumer: string,
  eventId: string,
): Promise<boolean> {
  const inserted = await tx.$executeRaw`
    INSERT INTO processed_event (consumer, event_id) VALUES (${consumer}, ${eventId}::uuid)
    ON CONFLICT DO NOTHING`;
  return inserted === 1;
}
