/**
 * `mix`: every user comes from one of the other six populations, each equally likely, with
 * that population's tastes and reactions (a sixth of the users react sparsely, a sixth drift,
 * a sixth change with the hour, …). The user's group is the population's name.
 */
import { continuous } from './continuous.js';
import { drifting } from './drifting.js';
import { heuristicUsers } from './heuristic-users.js';
import { hourly } from './hourly.js';
import { segments } from './segments.js';
import { sparse } from './sparse.js';
import type { Population } from './world.js';

export const MIXED: readonly Population[] = [
  segments,
  continuous,
  hourly,
  drifting,
  sparse,
  heuristicUsers,
];

export const mix: Population = {
  name: 'mix',
  drawUser: (random) => {
    const population = MIXED[Math.floor(random() * MIXED.length)]!;
    return { ...population.drawUser(random), group: population.name };
  },
};

/** The suite, in report order. */
export const POPULATIONS: readonly Population[] = [...MIXED, mix];
