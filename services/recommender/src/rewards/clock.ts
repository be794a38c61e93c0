/** The time as the rewards path sees it: the expiry window and the sweeper's `now`. */
export type Clock = () => Date;

/** Injection token of the `Clock`; tests provide one they can move. */
export const CLOCK = Symbol('CLOCK');

export const systemClock: Clock = () => new Date();
