import { isOnGrid } from '../features/quantize.js';
import { addExact, exactPlus } from './exact-sum.js';

/**
 * Binary layout of a model, shared with the scorer's Lua scripts (WARNING: a stored format;
 * a change is a new FORMAT_VERSION that still reads the old one):
 *
 *   byte 0: format version, byte 1: d, then little-endian doubles:
 *   n, rewardSum (hi, lo), rewardSquares (hi, lo), b[i] (hi, lo) for i < d,
 *   S[i][j] (hi, lo) for i ≤ j (upper triangle of Σ x xᵀ, row by row).
 *
 * A = I + S is never stored: the identity would cost precision and bytes.
 */
export const FORMAT_VERSION = 1;
const HEADER_BYTES = 2;
const N = 0;
const REWARD_SUM = 1;
const REWARD_SQUARES = 3;
const B = 5;

export const MAX_DIMENSION = 64;

/** Number of doubles in the layout for dimension d. */
export function stateLength(d: number): number {
  return B + 2 * d + d * (d + 1);
}

/** Thrown when bytes are not a model this code can read. */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
}

/**
 * The sufficient statistics of one user's ridge regression for one policy:
 * `A = I + Σ x xᵀ`, `b = Σ r x`, `n`, `Σ r`, `Σ r²`, held exactly (see exact-sum.ts).
 */
export class ModelState {
  private constructor(
    readonly dimension: number,
    private readonly values: Float64Array,
  ) {}

  static empty(dimension: number): ModelState {
    if (!Number.isInteger(dimension) || dimension < 1 || dimension > MAX_DIMENSION) {
      throw new RangeError(`dimension must be 1…${MAX_DIMENSION}, got ${dimension}`);
    }
    return new ModelState(dimension, new Float64Array(stateLength(dimension)));
  }

  static decode(bytes: Uint8Array): ModelState {
    if (bytes.length < HEADER_BYTES) throw new ModelFormatError('model is shorter than its header');
    const version = bytes[0]!;
    const d = bytes[1]!;
    if (version !== FORMAT_VERSION) throw new ModelFormatError(`unknown model format ${version}`);
    const length = stateLength(d);
    if (d < 1 || bytes.length !== HEADER_BYTES + 8 * length) {
      throw new ModelFormatError(`model of dimension ${d} has ${bytes.length} bytes`);
    }
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const values = new Float64Array(length);
    for (let i = 0; i < length; i += 1) values[i] = view.getFloat64(HEADER_BYTES + 8 * i, true);
    return new ModelState(d, values);
  }

  encode(): Buffer {
    const bytes = Buffer.allocUnsafe(HEADER_BYTES + 8 * this.values.length);
    bytes[0] = FORMAT_VERSION;
    bytes[1] = this.dimension;
    for (let i = 0; i < this.values.length; i += 1) {
      bytes.writeDoubleLE(this.values[i]!, HEADER_BYTES + 8 * i);
    }
    return bytes;
  }

  get n(): number {
    return this.values[N]!;
  }

  get rewardSum(): number {
    return this.values[REWARD_SUM]!;
  }

  get rewardSquares(): number {
    return this.values[REWARD_SQUARES]!;
  }

  /**
   * Learns one observation. `reward` and `features` must be on the feature grid (see
   * quantize.ts) and within [-1, 1]: that is what makes the sums exact.
   */
  apply(reward: number, features: readonly number[]): void {
    const d = this.dimension;
    if (features.length !== d) {
      throw new RangeError(`features have ${features.length} values, the model takes ${d}`);
    }
    assertLearnable(reward, 'reward');
    features.forEach((value, i) => assertLearnable(value, `features[${i}]`));
    const v = this.values;
    v[N] = v[N]! + 1;
    addExact(v, REWARD_SUM, reward);
    addExact(v, REWARD_SQUARES, reward * reward);
    for (let i = 0; i < d; i += 1) addExact(v, B + 2 * i, reward * features[i]!);
    let at = B + 2 * d;
    for (let i = 0; i < d; i += 1) {
      const xi = features[i]!;
      for (let j = i; j < d; j += 1) {
        addExact(v, at, xi * features[j]!);
        at += 2;
      }
    }
  }

  /** Adds another model of the same dimension (its observations), exactly. */
  merge(other: ModelState): void {
    if (other.dimension !== this.dimension) throw new RangeError('dimensions differ');
    const v = this.values;
    v[N] = v[N]! + other.values[N]!;
    for (let at = 1; at < v.length; at += 2) {
      addExact(v, at, other.values[at]!);
      addExact(v, at, other.values[at + 1]!);
    }
  }

  /** b = Σ r x, each entry correctly rounded. */
  b(): number[] {
    return Array.from({ length: this.dimension }, (_, i) => this.values[B + 2 * i]!);
  }

  /** Σ x xᵀ (without the identity), each entry correctly rounded. */
  gram(): number[][] {
    return this.matrix(0);
  }

  /** A = I + Σ x xᵀ, each entry the correctly rounded exact value. */
  A(): number[][] {
    return this.matrix(1);
  }

  /** Equality of the exact state (every pair equal, so every sum exactly equal). */
  equals(other: ModelState): boolean {
    if (other.dimension !== this.dimension) return false;
    return this.values.every((value, i) => value === other.values[i]);
  }

  private matrix(diagonal: number): number[][] {
    const d = this.dimension;
    const m = Array.from({ length: d }, () => new Array<number>(d).fill(0));
    let at = B + 2 * d;
    for (let i = 0; i < d; i += 1) {
      for (let j = i; j < d; j += 1) {
        const value = i === j ? exactPlus(this.values, at, diagonal) : this.values[at]!;
        m[i]![j] = value;
        m[j]![i] = value;
        at += 2;
      }
    }
    return m;
  }
}

function assertLearnable(value: number, what: string): void {
  if (!isOnGrid(value) || value < -1 || value > 1) {
    throw new RangeError(`${what} must be a number on the feature grid within [-1, 1]`);
  }
}
