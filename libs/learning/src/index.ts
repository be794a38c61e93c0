export { FEATURE_GRID_BITS, isOnGrid, quantize } from './features/quantize.js';
export {
  D5,
  X11,
  type BaseFeatureName,
  type BaseFeatures,
  type FeatureSet,
} from './features/feature-sets.js';
export { taskFeatures, type DecisionMoment, type TaskFacts } from './features/task-features.js';
export {
  INTERACTION_PRECISION,
  policyRegistry,
  STARTING_BELIEF,
  STARTING_STRENGTH,
  RANDOM_POLICY,
  type Policy,
  type PolicyStatus,
} from './policy-registry.js';
export { addExact, exactPlus } from './linucb/exact-sum.js';
export {
  FORMAT_VERSION,
  MAX_DIMENSION,
  ModelFormatError,
  ModelState,
  stateLength,
} from './linucb/model-state.js';
export {
  scoreCandidates,
  SingularModelError,
  solvePosterior,
  type Candidate,
  type CandidateScore,
  type Posterior,
} from './linucb/ridge.js';
export {
  chooseCandidate,
  egreedyProbability,
  greedyIndex,
  seededRandom,
  type Choice,
} from './linucb/exploration.js';
export {
  DEFAULT_EXPLORATION,
  explorationFor,
  type DecisionExploration,
  type ExplorationSettings,
} from './linucb/exploration-rule.js';
export {
  DEFAULT_PRIOR_OPTIONS,
  estimatePopulationPrior,
  estimatePopulationPriorAsync,
  selectPriorComponent,
  type PopulationPrior,
  type PriorComponent,
  type PriorOptions,
} from './linucb/population-prior.js';
export {
  estimateImprovement,
  estimateOffPolicy,
  type Interval,
  type LoggedOutcome,
  type OffPolicyEstimate,
  type PairedOutcome,
} from './evaluation/off-policy.js';
