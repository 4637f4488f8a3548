/**
 * One project per database driver. `pglite`: every test on embedded PGlite. With TEST_DATABASE_URL
 * set, the HTTP tests (*.http.test.ts) and the server-only fault tests (*.server.test.ts) run again
 * on that PostgreSQL server through node-postgres (`postgres`) and through the Neon driver via a
 * local WebSocket proxy (`neon`). Under CI=true the server-backed projects are required.
 */
import { defineConfig } from 'vitest/config';

const serverUrl = process.env.TEST_DATABASE_URL;
const serverTests = ['src/**/*.http.test.ts', 'src/**/*.server.test.ts'];

if (!serverUrl) {
  if (process.env.CI === 'true') {
    throw new Error('CI=true but TEST_DATABASE_URL is not set: the postgres and neon projects are required in CI.');
  }
  process.stdout.write(
    'TEST_DATABASE_URL is not set: running on PGlite only; SKIPPED drivers: pg (node-postgres), neon (@neondatabase/serverless), and the server fault suite.\n',
  );
}

const server = (name: string, driver: string) => ({
  extends: true as const,
  test: { name, include: serverTests, env: { TEST_DB: driver } },
});

export default defineConfig({
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'pglite',
          include: ['src/**/*.test.ts', 'contract-tests/**/*.test.ts'],
          exclude: ['src/**/*.server.test.ts'],
          env: { TEST_DB: 'pglite' },
        },
      },
      ...(serverUrl ? [server('postgres', 'pg'), server('neon', 'neon')] : []),
    ],
  },
});
