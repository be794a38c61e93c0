/**
 * The seam between connecting and syncing: after a connection is saved, connect asks for a
 * first sync through this. The sync module provides it (`{ provide: FIRST_SYNC, useClass: … }`
 * in a module connect can see); until then nothing is bound and connect goes on without it.
 * It must not throw for long work: start the sync and return.
 */
export interface FirstSync {
  requestFirstSync(userId: string, provider: string): Promise<void>;
}

export const FIRST_SYNC = Symbol('FIRST_SYNC');
