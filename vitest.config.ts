import { defineConfig } from 'vitest/config';

// Two projects: fast unit tests (pure domain, stores against an in-memory or temporary database,
// components in happy-dom) and integration tests (a real server process, SQLite files, PostgreSQL).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          setupFiles: ['test/setup/unit.ts'],
          // Generous: CI machines have two cores shared with the integration project.
          testTimeout: 20_000,
        },
        oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          // The kiosk's data layer runs here against an in-process server, on fake-indexeddb.
          setupFiles: ['test/setup/unit.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
