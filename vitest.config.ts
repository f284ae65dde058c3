import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

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
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    // Both cores: vitest's default leaves one free, which on a 2-core machine runs every file in turn.
    maxWorkers: 2,
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
