import { quantize } from './quantize.js';

/** What one task looks like at one moment to every policy (ARCHITECTURE.md §6). */
export interface BaseFeatures {
  /** sin and cos of the user's local hour on the 24 h circle. */
  hour_sin: number;
  hour_cos: number;
  /** 1 when the task's due date or time has passed, else 0. */
  is_overdue: number;
  /** min(age in days, 90) / 90. */
  task_age: number;
  /** (p − 1) / 3 for Todoist priority p in 1…4, 4 = urgent. */
  priority: number;
}

export type BaseFeatureName = keyof BaseFeatures;

/**
 * A feature set turns base features into the vector one policy learns from. Every value lies in
 * [-1, 1], which the scorer checks at its boundary.
 */
export interface FeatureSet {
  readonly name: string;
  /** Column names, in vector order: what an operator sees next to θ. */
  readonly columns: readonly string[];
  vector(base: BaseFeatures): number[];
}

/** The original five: hour terms, overdue, age, priority. */
export const D5: FeatureSet = {
  name: 'd5',
  columns: ['hour_sin', 'hour_cos', 'is_overdue', 'task_age', 'priority'],
  vector: (f) =>
    [f.hour_sin, f.hour_cos, f.is_overdue, f.task_age, f.priority].map((value) => quantize(value)),
};

const TASK_TERMS = ['is_overdue', 'task_age', 'priority'] as const;
const HOUR_TERMS = ['hour_sin', 'hour_cos'] as const;

/**
 * The five plus every task term times every hour term. In d5 the hour terms are equal for all
 * candidates of one decision, so the time of day cannot change which task wins; the
 * interactions let it ("urgent work in the morning, old chores at night").
 */
export const X11: FeatureSet = {
  name: 'x11',
  columns: [
    ...D5.columns,
    ...TASK_TERMS.flatMap((task) => HOUR_TERMS.map((hour) => `${task}×${hour}`)),
  ],
  vector: (f) =>
    [
      f.hour_sin,
      f.hour_cos,
      f.is_overdue,
      f.task_age,
      f.priority,
      ...TASK_TERMS.flatMap((task) => HOUR_TERMS.map((hour) => f[task] * f[hour])),
    ].map((value) => quantize(value)),
};
