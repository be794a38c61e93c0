/**
 * `hourly`: tastes that change with the hour of day, so only task × time features (the
 * interactions of `linucb-x11`) can learn them.
 *
 * Tastes: every user has a morning taste and an evening taste (weights of the linear utility
 * `w_p·priority + w_o·is_overdue + w_a·task_age`), blended by the local hour h:
 * `w(h) = m(h)·w_morning + (1 − m(h))·w_evening` with `m(h) = (1 + cos(2π(h − 8)/24)) / 2`,
 * 1 at 08:00 and 0 at 20:00. As m is linear in the hour terms (sin, cos), x11 can represent
 * the utility exactly and d5 cannot. Two kinds, half each, every weight jittered N(0, 0.15):
 *
 *   kind         morning (08:00)                       evening (20:00)
 *   early-bird   urgent: w_p 1.0, w_o 0.6, w_a 0       chores: w_p 0.1, w_o 0.1, w_a 0.9
 *   night-owl    chores: w_p 0.1, w_o 0.1, w_a 0.9     urgent: w_p 1.0, w_o 0.6, w_a 0
 *
 * so for almost every user the better of "urgent and new" and "normal and old" flips between
 * morning and evening. The utility does not change with experience.
 *
 * Reactions: done with σ(3u − 1) (+1), dismiss with σ(−3u − 1) (−1), else snooze (0).
 */
import type { BaseFeatures } from '@oo/learning';
import { linearUtility, type Taste } from './segments.js';
import { gaussian, hourOf, standardReaction, type Population, type SimUser } from './world.js';

const URGENT: Taste = { priority: 1, overdue: 0.6, age: 0 };
const CHORES: Taste = { priority: 0.1, overdue: 0.1, age: 0.9 };
const WEIGHT_JITTER = 0.15;
const MORNING_HOUR = 8;

/** 1 at 08:00, 0 at 20:00, smooth in between (a cosine of the hour). */
export function morningness(hour: number): number {
  return (1 + Math.cos((2 * Math.PI * (hour - MORNING_HOUR)) / 24)) / 2;
}

export interface HourlyUser extends SimUser {
  morning: Taste;
  evening: Taste;
}

function jittered(taste: Taste, random: () => number): Taste {
  const jitter = (value: number): number => value + WEIGHT_JITTER * gaussian(random);
  return {
    priority: jitter(taste.priority),
    overdue: jitter(taste.overdue),
    age: jitter(taste.age),
  };
}

export function drawHourlyUser(random: () => number): HourlyUser {
  const earlyBird = random() < 0.5;
  const morning = jittered(earlyBird ? URGENT : CHORES, random);
  const evening = jittered(earlyBird ? CHORES : URGENT, random);
  return {
    group: earlyBird ? 'early-bird' : 'night-owl',
    morning,
    evening,
    utility: (base: BaseFeatures) => {
      const m = morningness(hourOf(base));
      return m * linearUtility(morning, base) + (1 - m) * linearUtility(evening, base);
    },
    reaction: standardReaction,
  };
}

export const hourly: Population = { name: 'hourly', drawUser: drawHourlyUser };
