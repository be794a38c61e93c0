import type { TipWhy } from '@oo/contracts';

/** The base features an explanation can name: the ones that differ between tasks. */
const TASK_TERMS = ['is_overdue', 'priority', 'task_age'] as const;
type TaskTerm = (typeof TASK_TERMS)[number];

const MAX_REASONS = 3;
const DAY_MS = 86_400_000;

/** What the explanation knows of the chosen task beyond its features. */
export interface ExplainedTask {
  priority: number;
  addedAt: string;
}

export interface ExplanationInput {
  /** The live policy's feature columns (`hour_sin`, `priority`, `is_overdue×hour_cos`, …). */
  columns: readonly string[];
  /** The live model's solved θ, one weight per column; absent when the scorer did not answer. */
  theta: readonly number[] | undefined;
  /** Every candidate's live feature vector, the chosen one among them. */
  candidates: readonly (readonly number[])[];
  chosen: number;
  task: ExplainedTask;
  explored: boolean;
  /** True for the random fallback (which is also an exploration pick). */
  random: boolean;
  now: Date;
}

/** The task term a column belongs to (`priority×hour_sin` → priority); undefined for hour terms. */
function termOf(column: string): TaskTerm | undefined {
  const base = column.split('×')[0];
  return TASK_TERMS.find((term) => term === base);
}

/**
 * How much each task term pushed the chosen task above the average candidate:
 * Σ θ_j·(x_j − mean_j) over the term's columns (positive: up, negative: down). Hour terms are
 * the same for every candidate, so they never explain why one task beat another.
 */
export function termContributions(
  columns: readonly string[],
  theta: readonly number[],
  candidates: readonly (readonly number[])[],
  chosen: number,
): Map<TaskTerm, number> {
  const contributions = new Map<TaskTerm, number>();
  columns.forEach((column, j) => {
    const term = termOf(column);
    if (!term) return;
    const mean = candidates.reduce((sum, x) => sum + x[j]!, 0) / candidates.length;
    const contribution = theta[j]! * (candidates[chosen]![j]! - mean);
    contributions.set(term, (contributions.get(term) ?? 0) + contribution);
  });
  return contributions;
}

const NUMBER_WORDS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
];

function counted(count: number, unit: string): string {
  if (count === 1) return `a ${unit}`;
  return `${NUMBER_WORDS[count] ?? String(count)} ${unit}s`;
}

/** "three weeks", "a day", "over a year": how long ago `addedAt` was, as people say it. */
export function humaniseAge(addedAt: string, now: Date): string {
  const days = Math.max(0, Math.floor((now.getTime() - Date.parse(addedAt)) / DAY_MS));
  if (days < 1) return 'less than a day';
  if (days < 7) return counted(days, 'day');
  if (days < 30) return counted(Math.floor(days / 7), 'week');
  if (days < 365) return counted(Math.max(1, Math.floor(days / 30)), 'month');
  return 'over a year';
}

const PRIORITY_WORDS: Record<number, string> = {
  4: 'urgent',
  3: 'high priority',
  2: 'medium priority',
  1: 'low priority',
};

/** The term in words, as it applies to this task (θ may favour low values as well as high). */
function reasonText(term: TaskTerm, above: boolean, task: ExplainedTask, now: Date): string {
  switch (term) {
    case 'is_overdue':
      return above ? 'overdue' : 'not overdue yet';
    case 'priority':
      return PRIORITY_WORDS[task.priority] ?? 'its priority';
    case 'task_age':
      return above
        ? `waiting for ${humaniseAge(task.addedAt, now)}`
        : `fresh: added ${humaniseAge(task.addedAt, now)} ago`;
  }
}

const COLD_SUMMARY = 'New to you: oO is still learning what you pick.';
const EXPLORED_SUMMARY =
  'A pick to learn from: oO sometimes tries something other than its best guess.';
const RANDOM_SUMMARY = 'A pick at random: oO could not weigh your tasks just now.';

function sentence(texts: string[]): string {
  const listed =
    texts.length <= 1 ? texts.join('') : `${texts.slice(0, -1).join(', ')} and ${texts.at(-1)}`;
  return `${listed.charAt(0).toUpperCase()}${listed.slice(1)}.`;
}

/**
 * Why the chosen task, from the live model's own terms: the task terms whose contribution is
 * positive, strongest first, at most three. No positive term means the model has not learned
 * enough to prefer anything (cold), and it says so; an exploration pick (not the live
 * policy's argmax, or the random fallback: `PolicyDecision.explored`) says it is one.
 */
export function explain(input: ExplanationInput): TipWhy {
  const contributions = input.theta
    ? termContributions(input.columns, input.theta, input.candidates, input.chosen)
    : new Map<TaskTerm, number>();
  const chosen = input.candidates[input.chosen]!;
  // Only terms that pushed the task up: one that held it back is never given as a reason.
  const reasons = [...contributions]
    .filter(([, contribution]) => contribution > 0)
    .sort(([, a], [, b]) => b - a)
    .slice(0, MAX_REASONS)
    .map(([term]) => {
      // Above the candidates' mean on this term: the task has more of it than the others.
      const j = input.columns.findIndex((column) => termOf(column) === term);
      const mean = input.candidates.reduce((sum, x) => sum + x[j]!, 0) / input.candidates.length;
      return { term, text: reasonText(term, chosen[j]! >= mean, input.task, input.now) };
    });
  if (input.random) return { kind: 'exploration', reasons, summary: RANDOM_SUMMARY };
  if (input.explored) return { kind: 'exploration', reasons, summary: EXPLORED_SUMMARY };
  if (reasons.length === 0) return { kind: 'learning', reasons, summary: COLD_SUMMARY };
  return { kind: 'model', reasons, summary: sentence(reasons.map(({ text }) => text)) };
}
