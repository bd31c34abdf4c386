// Reads vitest's JSON report and prints the CI's closing line: "N passed, N failed[, N skipped]".
// Exit code 1 when anything failed, when no test ran, or when the report is missing.
import { readFileSync } from 'node:fs';

const file = process.argv[2] ?? '.vitest-results.json';
let report;
try {
  report = JSON.parse(readFileSync(file, 'utf8'));
} catch (err) {
  console.log(`could not read ${file}: ${err.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const suite of report.testResults ?? []) {
  const assertions = suite.assertionResults ?? [];
  for (const t of assertions) {
    if (t.status === 'passed') passed += 1;
    else if (t.status === 'failed') failed += 1;
    else skipped += 1;
  }
  // A test file that failed to load (syntax error, import failure) has no assertions but failed.
  if (assertions.length === 0 && suite.status === 'failed') failed += 1;
}
const tail = skipped > 0 ? `, ${skipped} skipped` : '';
console.log(`${passed} passed, ${failed} failed${tail}`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
