/**
 * Two projects: every test on embedded PGlite, and the HTTP tests (*.http.test.ts) again on the
 * PostgreSQL server at TEST_DATABASE_URL when it is set (.ci/run sets it).
 */
import { defineConfig } from 'vitest/config';

const serverUrl = process.env.TEST_DATABASE_URL;
if (!serverUrl) {
  process.stdout.write('TEST_DATABASE_URL is not set: the postgres project is skipped (PGlite only).\n');
}

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      { extends: true as const, test: { name: 'pglite', include: ['src/**/*.test.ts', 'contract-tests/**/*.test.ts'], env: { TEST_DB: 'pglite' } } },
      ...(serverUrl
        ? [{ extends: true as const, test: { name: 'postgres', include: ['src/**/*.http.test.ts'], env: { TEST_DB: 'pg' } } }]
        : []),
    ],
  },
});
