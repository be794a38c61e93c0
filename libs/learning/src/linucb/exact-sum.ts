/**
 * Exact sums in two doubles (`hi`, `lo`), kept canonical: `hi` is the sum correctly rounded to
 * a double and `lo` the exact remainder. Every term added is a product of two values on the
 * feature grid (multiples of 2^-52 with |term| ≤ 1), so each step below is exact for sums up to
 * 2^53: the stored pair is then the same whatever order the terms came in. The Lua update
 * script in the scorer does exactly these operations; change both or neither.
 */

/** Adds `term` to the pair at `values[at]`, `values[at + 1]`. */
export function addExact(values: Float64Array, at: number, term: number): void {
  const hi = values[at]!;
  const lo = values[at + 1]!;
  // Knuth's two-sum: s + e === hi + term exactly.
  const s = hi + term;
  const sv = s - hi;
  const e = hi - (s - sv) + (term - sv);
  // lo and e are small multiples of 2^-52, so their sum is exact.
  const t = lo + e;
  // Renormalise: h = fl(s + t), l = (s + t) − h, again by two-sum.
  const h = s + t;
  const hv = h - s;
  values[at] = h;
  values[at + 1] = s - (h - hv) + (t - hv);
}

/** `offset + (hi + lo)`, rounded once: the correctly rounded value of the exact sum. */
export function exactPlus(values: Float64Array, at: number, offset: number): number {
  const hi = values[at]!;
  const lo = values[at + 1]!;
  const s = hi + offset;
  const sv = s - hi;
  const e = hi - (s - sv) + (offset - sv);
  return s + (e + lo);
}
