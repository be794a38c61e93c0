// Prints the plain closing line CI reads ("N passed, N failed") after Jest's own summary.
// `npm test` runs the web app's Vitest suite first and names its JSON report in OO_ALSO_COUNT,
// so the line counts every test of the run. CommonJS because Jest loads reporters with require().
const { readFileSync } = require('node:fs');

class SummaryReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests;
    const failedSuites = results.numFailedTestSuites - countSuitesWithFailedTests(results);
    let passed = results.numPassedTests;
    let failed = results.numFailedTests + Math.max(0, failedSuites);
    let also = '';
    const other = otherResults();
    if (other) {
      passed += other.passed;
      failed += other.failed;
      also = ` (${other.passed + other.failed} of them ${other.name})`;
    }
    process.stdout.write(
      `\n${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}${also}\n`,
    );
  }
}

// A suite that fails to load (syntax error, import failure) has no failed test; count it as one.
function countSuitesWithFailedTests(results) {
  return results.testResults.filter((suite) => suite.numFailingTests > 0).length;
}

/** Vitest's JSON report (Jest's result shape): its counts, a failed file counting as one. */
function otherResults() {
  const path = process.env.OO_ALSO_COUNT;
  if (!path) return undefined;
  try {
    const report = JSON.parse(readFileSync(path, 'utf8'));
    const brokenFiles = (report.testResults ?? []).filter(
      (file) => file.status === 'failed' && (file.assertionResults ?? []).length === 0,
    ).length;
    return {
      name: 'web component tests',
      passed: report.numPassedTests,
      failed: report.numFailedTests + brokenFiles,
    };
  } catch {
    return { name: `unreadable ${path}`, passed: 0, failed: 1 };
  }
}

module.exports = SummaryReporter;
