import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // PTYs and sockets are real: keep files in separate forks so a leaked fd never crosses tests.
    pool: 'forks',
    // The JSON report feeds .ci/summarize.mjs (CI reads our own closing line, not vitest's).
    reporters: ['default', ['json', { outputFile: '.vitest-results.json' }]],
  },
});
