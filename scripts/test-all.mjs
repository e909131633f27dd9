// `npm test`: every suite (the static checks, vitest unit + integration, then the Playwright
// end-to-end suite in Chromium), each with a machine-readable report or an exit status, and one closing line `N passed, N failed`
// summed over all of them. Exits non-zero if any test failed or any suite could not run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const out = 'test-results';
mkdirSync(out, { recursive: true });

const suites = [
  // Format, lint (with the layer rule) and the type-check per runtime: one check that passes or
  // fails as a whole, so a commit that only `npm run check` would catch still fails CI.
  { name: 'static checks (npm run check)', cmd: ['npm', 'run', 'check'] },
  {
    name: 'vitest (unit + integration)',
    report: `${out}/vitest.json`,
    cmd: [
      'npx',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${out}/vitest.json`,
    ],
    count: (r) => ({
      passed: r.numPassedTests,
      failed: r.numFailedTests,
      skipped: r.numPendingTests + r.numTodoTests,
    }),
  },
  {
    name: 'playwright (end to end, Chromium)',
    report: `${out}/playwright.json`,
    cmd: ['npx', 'playwright', 'test'],
    count: (r) => ({
      passed: r.stats.expected,
      failed: r.stats.unexpected + r.stats.flaky,
      skipped: r.stats.skipped,
    }),
  },
];

let passed = 0;
let failed = 0;
let skipped = 0;
let broken = false;
for (const suite of suites) {
  if (suite.report) rmSync(suite.report, { force: true });
  console.log(`\n=== ${suite.name} ===`);
  const r = spawnSync(suite.cmd[0], suite.cmd.slice(1), { stdio: 'inherit' });
  if (!suite.report) {
    const ok = r.status === 0;
    console.log(`${suite.name}: ${ok ? 'passed' : `failed (exit ${r.status})`}`);
    passed += ok ? 1 : 0;
    failed += ok ? 0 : 1;
    broken ||= !ok;
    continue;
  }
  if (!existsSync(suite.report)) {
    console.error(`${suite.name}: no report (exit ${r.status}); counted as a failure`);
    failed += 1;
    broken = true;
    continue;
  }
  const c = suite.count(JSON.parse(readFileSync(suite.report, 'utf8')));
  console.log(`${suite.name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  passed += c.passed;
  failed += c.failed;
  skipped += c.skipped;
  // A suite that reports no failures but exits non-zero (a crash after the report, an error
  // outside any test) still fails the run.
  if (r.status !== 0 && c.failed === 0) {
    console.error(`${suite.name}: exited ${r.status} with no failed test; counted as a failure`);
    failed += 1;
    broken = true;
  }
}

// Skipped tests are not allowed to pile up unnoticed: they fail the run too.
if (skipped > 0) console.error(`${skipped} skipped test(s): remove the skip or the test`);
console.log(`\n${passed} passed, ${failed + skipped} failed`);
process.exit(failed + skipped > 0 || broken ? 1 : 0);
