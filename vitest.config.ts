import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** The suites that start servers or worker processes. */
const PROCESSES = ['test/redis/**/*.test.ts', 'test/examples/**/*.test.ts'];
/** The example driven in Chromium: `npm run test:browser` (CI runs it after `npm test`). */
const BROWSER = ['test/examples/**/*.e2e.test.ts'];

const src = (path: string): string => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Code blocks in README.md and docs/ import the package by name; the docs test runs them
    // against the sources.
    alias: [
      { find: /^fenliu$/, replacement: src('index.ts') },
      ...['metrics', 'simulate', 'planning', 'redis'].map((entry) => ({
        find: new RegExp(`^fenliu/${entry}$`),
        replacement: src(`${entry}/index.ts`),
      })),
    ],
  },
  test: {
    testTimeout: 60_000,
    // Two groups, one after the other: the in-process tests on both cores (vitest's default leaves
    // one free, which on a 2-core machine runs every file in turn), then, one file at a time, those
    // that start processes — Redis servers and clusters, workers, Chromium — whose timings a second
    // worker's load would disturb.
    projects: [
      {
        extends: true,
        test: { name: 'in-process', include: ['test/**/*.test.ts'], exclude: PROCESSES, maxWorkers: 2, sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'processes', include: PROCESSES, exclude: BROWSER, maxWorkers: 1, sequence: { groupOrder: 1 } },
      },
      ...(process.env.FENLIU_BROWSER === '1'
        ? [{ extends: true as const, test: { name: 'browser', include: BROWSER, maxWorkers: 1, sequence: { groupOrder: 2 } } }]
        : []),
    ],
    coverage: {
      provider: 'v8',
      include: ['src/**/*.ts'],
      // Re-export and type-only modules, and the three-line command entry, have no code to cover.
      exclude: ['src/**/index.ts', 'src/types.ts', 'src/metrics/events.ts', 'src/cli/bin.ts'],
      reporter: ['text-summary', 'text'],
      thresholds: { lines: 95, branches: 90 },
    },
  },
});
