/**
 * Features live on a fixed grid of 2^-26 (about 1.5e-8) and within [-1, 1]. On that grid the
 * product of two features, or of a reward and a feature, is exact in a double, and the model's
 * sums can be kept exactly (see exact-sum.ts): the learned state then does not depend on the
 * order in which events were applied, to the last bit.
 */
export const FEATURE_GRID_BITS = 26;
const SCALE = 2 ** FEATURE_GRID_BITS;

/** Rounds to the feature grid. Idempotent: `quantize(quantize(x)) === quantize(x)`. */
export function quantize(value: number): number {
  // Multiplying and dividing by a power of two is exact, so only Math.round rounds.
  return Math.round(value * SCALE) / SCALE;
}

/** Whether a value is already on the grid (what the model accepts without rounding). */
export function isOnGrid(value: number): boolean {
  return Number.isFinite(value) && quantize(value) === value;
}
