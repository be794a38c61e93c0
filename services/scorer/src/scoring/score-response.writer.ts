import type { CandidateScore, ScoreResponse, ShadowScores } from '@oo/contracts';
import type { CandidateScore as ScoredCandidate } from '@oo/learning';

/**
 * `JSON.stringify(response)` for `rpc.scorer.score`, written for its shape: the same bytes in
 * under half the time (the 50 scores are most of a 5 KB reply, and stringify was ~9 % of the
 * scorer's CPU per score). The top level goes key by key in the object's own order, so a field
 * added to the response is written too; score entries and shadows are written field by field,
 * and the checks below fail to compile if either type gains a field this writer does not know.
 * score-response.writer.spec.ts holds the output to `JSON.stringify` of real responses.
 */
export function writeScoreResponse(response: ScoreResponse): string {
  let json = '';
  for (const key of Object.keys(response) as Array<keyof ScoreResponse>) {
    const value = response[key];
    if (value === undefined) continue;
    const write = FIELD_WRITERS[key] as ((value: unknown) => string) | undefined;
    json += `${json ? ',' : '{'}${JSON.stringify(key)}:${write ? write(value) : JSON.stringify(value)}`;
  }
  return json ? `${json}}` : '{}';
}

/** The fields that make a reply large; every other goes through JSON.stringify. */
const FIELD_WRITERS: {
  [K in keyof ScoreResponse]?: (value: NonNullable<ScoreResponse[K]>) => string;
} = {
  scores: (scores) => writeScores(scores),
  shadows: (shadows) => writeShadows(shadows),
  theta: (theta) => writeNumbers(theta),
};

// Compile-time guards: every field of a score entry and of a shadow is one the writer writes.
type Written<T, K extends keyof T> = Exclude<keyof T, K> extends never ? true : never;
const contractScoreFieldsWritten: Written<CandidateScore, 'id' | 'mean' | 'bonus' | 'ucb'> = true;
const learnedScoreFieldsWritten: Written<ScoredCandidate, 'id' | 'mean' | 'bonus' | 'ucb'> = true;
const shadowFieldsWritten: Written<ShadowScores, 'policy' | 'scores' | 'n'> = true;
void [contractScoreFieldsWritten, learnedScoreFieldsWritten, shadowFieldsWritten];

function writeScores(scores: readonly CandidateScore[]): string {
  let json = '[';
  for (let k = 0; k < scores.length; k += 1) {
    const { id, mean, bonus, ucb } = scores[k]!;
    json +=
      `${k ? ',' : ''}{"id":${writeString(id)},"mean":${writeNumber(mean)},` +
      `"bonus":${writeNumber(bonus)},"ucb":${writeNumber(ucb)}}`;
  }
  return `${json}]`;
}

function writeShadows(shadows: readonly ShadowScores[]): string {
  let json = '[';
  for (let k = 0; k < shadows.length; k += 1) {
    const { policy, scores, n } = shadows[k]!;
    json +=
      `${k ? ',' : ''}{"policy":${writeString(policy)},"scores":${writeScores(scores)},` +
      `"n":${writeNumber(n)}}`;
  }
  return `${json}]`;
}

function writeNumbers(values: readonly number[]): string {
  let json = '[';
  for (let i = 0; i < values.length; i += 1) json += `${i ? ',' : ''}${writeNumber(values[i]!)}`;
  return `${json}]`;
}

/** As JSON.stringify: the shortest round-trip form, `null` for NaN and ±Infinity. */
function writeNumber(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}

/** Printable ASCII other than `"` and `\`: what JSON.stringify leaves as it is. */
const NEEDS_NO_ESCAPE = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;

function writeString(value: string): string {
  return NEEDS_NO_ESCAPE.test(value) ? `"${value}"` : JSON.stringify(value);
}
