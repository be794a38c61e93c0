/**
 * `segments`: discrete taste segments (the original learning simulation's population).
 *
 * Tastes: a user joins one segment with the segment's share and gets its weights plus
 * N(0, 0.15) jitter on each; the hidden utility of a task is
 * `u = w_p·priority + w_o·is_overdue + w_a·task_age` on the base features (priority (p − 1)/3,
 * task_age min(days, 90)/90), the same at every hour and every decision.
 *
 *   segment           share   w_priority  w_overdue  w_age
 *   urgent-first       35 %      1.0         0.3        0     the heuristic's own taste
 *   deadline-driven    25 %      0.4         1.0        0
 *   backlog-clearer    20 %      0.3         0.2        0.8
 *   fresh-starter      20 %      0.5         0         −0.6
 *
 * Reactions: done with σ(3u − 1) (+1), dismiss with σ(−3u − 1) (−1), else snooze (0).
 */
import type { BaseFeatures } from '@oo/learning';
import {
  gaussian,
  pickWeighted,
  standardReaction,
  type Population,
  type SimUser,
} from './world.js';

export type SegmentName = 'urgent-first' | 'deadline-driven' | 'backlog-clearer' | 'fresh-starter';

/** Weights of the three task terms of the base features. */
export interface Taste {
  priority: number;
  overdue: number;
  age: number;
}

interface Segment {
  name: SegmentName;
  share: number;
  taste: Taste;
}

export const SEGMENTS: readonly Segment[] = [
  { name: 'urgent-first', share: 0.35, taste: { priority: 1, overdue: 0.3, age: 0 } },
  { name: 'deadline-driven', share: 0.25, taste: { priority: 0.4, overdue: 1, age: 0 } },
  { name: 'backlog-clearer', share: 0.2, taste: { priority: 0.3, overdue: 0.2, age: 0.8 } },
  { name: 'fresh-starter', share: 0.2, taste: { priority: 0.5, overdue: 0, age: -0.6 } },
];

export const SEGMENT_NAMES: readonly SegmentName[] = SEGMENTS.map((segment) => segment.name);

const WEIGHT_JITTER = 0.15;

export function linearUtility(weights: Taste, base: BaseFeatures): number {
  return (
    weights.priority * base.priority +
    weights.overdue * base.is_overdue +
    weights.age * base.task_age
  );
}

export interface SegmentUser extends SimUser {
  group: SegmentName;
  weights: Taste;
}

/** A user with a fixed linear taste and the standard reactions. */
export function linearUser<G extends string>(group: G, weights: Taste): SimUser & { group: G } {
  return {
    group,
    utility: (base) => linearUtility(weights, base),
    reaction: standardReaction,
  };
}

export function drawSegmentUser(random: () => number): SegmentUser {
  const segment = pickWeighted(
    SEGMENTS,
    SEGMENTS.map((s) => s.share),
    random,
  );
  const jitter = (value: number): number => value + WEIGHT_JITTER * gaussian(random);
  const { taste } = segment;
  const weights = {
    priority: jitter(taste.priority),
    overdue: jitter(taste.overdue),
    age: jitter(taste.age),
  };
  return { ...linearUser(segment.name, weights), weights };
}

export const segments: Population = { name: 'segments', drawUser: drawSegmentUser };
