/**
 * One project per database driver. `pglite`: every test on embedded PGlite. With TEST_DATABASE_URL
 * set, what depends on the driver runs again on that PostgreSQL server: the database layer and the
 * handlers (src/db/, src/handlers/) through node-postgres (`postgres`) and through the Neon driver
 * via a local WebSocket proxy (`neon`), and the server-only suites that need a database several
 * processes share (the fault suite, shutdown, workers, scaling) through node-postgres. Stage
 * behaviour does not depend on the driver and runs on PGlite only. Under CI=true the server-backed
 * projects are required.
 */
import { defineConfig } from 'vitest/config';

const serverUrl = process.env.TEST_DATABASE_URL;
/** What depends on the database driver: the database layer and the handlers over it. */
const driverTests = ['src/db/**/*.http.test.ts', 'src/db/**/*.server.test.ts', 'src/handlers/**/*.http.test.ts'];
/** Suites that need a database several processes share, run once, through node-postgres. */
const sharedDatabaseTests = ['src/serve/*.server.test.ts', 'src/*.server.test.ts'];

if (!serverUrl) {
  if (process.env.CI === 'true') {
    throw new Error('CI=true but TEST_DATABASE_URL is not set: the postgres and neon projects are required in CI.');
  }
  process.stdout.write(
    'TEST_DATABASE_URL is not set: running on PGlite only; SKIPPED drivers: pg (node-postgres), neon (@neondatabase/serverless), and the server fault suite.\n',
  );
}

const server = (name: string, driver: string, include: string[]) => ({
  extends: true as const,
  test: { name, include, env: { TEST_DB: driver } },
});

export default defineConfig({
  test: {
    // Two test files at a time on the 2-core machines: most of a file's time is spent waiting on
    // the servers, databases and browsers it starts (one at a time, the suite took 9.5 minutes).
    maxWorkers: 2,
    // A worker runs its test files one after another in one module graph: the project's modules
    // (Ajv, the OpenTelemetry SDK, pino, the contract) are imported once per worker instead of once
    // per file, which was a fifth of the suite's time. No test mocks a module or changes
    // process.env, and every test builds its own servers, stores and databases.
    isolate: false,
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
      ...(serverUrl ? [server('postgres', 'pg', [...driverTests, ...sharedDatabaseTests]), server('neon', 'neon', driverTests)] : []),
    ],
  },
});
