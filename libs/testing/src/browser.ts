// `@oo/testing/browser`: what browser tests need, kept out of the main entry so that the
// hundred other test files do not load playwright-core.
export { CHROMIUM, launchChromium, launchChromiumWithProfile, VIEWPORTS } from './chromium.js';
export {
  axeViolations,
  tabThrough,
  watchPageProblems,
  type AxeViolation,
  type FocusStop,
  type PageProblems,
} from './page-checks.js';
export { swipe } from './touch.js';
