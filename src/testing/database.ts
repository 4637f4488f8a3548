/**
 * A fresh database per test file, through the driver of the running vitest project: in-memory
 * PGlite (`pglite`) restored from one migrated snapshot (made once per migrations and PGlite
 * version, kept in node_modules/.cache/specgate), or a database of its own on the PostgreSQL server at TEST_DATABASE_URL
 * reached through node-postgres (`postgres`) or the Neon driver via a local WebSocket proxy (`neon`).
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { loadConfig } from '../config/index.js';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { openDatabase } from '../db/open.js';
import { startWsProxy, type WsProxy } from './ws-proxy.js';

/** The driver a vitest project runs on. */
export type TestDriver = 'pglite' | 'pg' | 'neon';

/** A database for one test file and how to throw it away. */
export interface TestDatabase {
  readonly db: Database;
  /** Its name on the server (undefined on PGlite). */
  readonly name: string | undefined;
  /** A direct node-postgres URL to it, for assertions from outside the app (undefined on PGlite). */
  readonly url: string | undefined;
  drop(): Promise<void>;
}

/** Which driver this test run uses (set per vitest project). */
export const testDriver = (): TestDriver => (process.env.TEST_DB === 'pg' || process.env.TEST_DB === 'neon' ? process.env.TEST_DB : 'pglite');

function serverUrl(): string {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error(`TEST_DB=${testDriver()} needs TEST_DATABASE_URL`);
  return base;
}

/** Runs fn with a short-lived node-postgres client on `url` (the server's admin database by default). */
export async function withClient<T>(fn: (client: pg.Client) => Promise<T>, url = serverUrl()): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

let proxy: Promise<WsProxy> | undefined;
/** The WebSocket proxy the Neon driver reaches PostgreSQL through (one per test process). */
export const neonProxy = (): Promise<WsProxy> => (proxy ??= startWsProxy());

/** The URL of `name` on the server, on `port` (a TcpProxy's, to simulate outages) or the server's own. */
export function urlOf(name: string, port?: number): string {
  const url = new URL(serverUrl());
  url.pathname = `/${name}`;
  if (port !== undefined) url.port = String(port);
  return url.toString();
}

/** The environment that makes the app (in-process or a child) use `url` through this run's driver. */
export async function databaseEnv(url: string): Promise<Record<string, string>> {
  const env: Record<string, string> = { DATABASE_URL: url, DB_DRIVER: testDriver() };
  if (testDriver() === 'neon') env.NEON_WS_PROXY = (await neonProxy()).address;
  return env;
}

let snapshot: Promise<string> | undefined;
/** The migrated PGlite snapshot test databases start from: made by the first test process that needs it, then read from the cache. */
export const testSnapshot = (): Promise<string> =>
  (snapshot ??= import('../db/pglite-snapshot.js').then((m) => m.ensureSnapshot(fileURLToPath(new URL('../../node_modules/.cache/specgate/', import.meta.url)))));

/** Creates (and by default migrates) a throw-away database; `port` routes the app's connections through a proxy. */
export async function createTestDatabase(options: { migrate?: boolean; port?: number; env?: Record<string, string> } = {}): Promise<TestDatabase> {
  if (testDriver() === 'pglite') {
    const { openPglite } = await import('../db/pglite.js');
    if (options.migrate === false) {
      const db = await openPglite('memory://');
      return { db, name: undefined, url: undefined, drop: () => db.close() };
    }
    const db = await openPglite('memory://', await testSnapshot());
    // Applies nothing (the snapshot holds every migration) but proves it, as a server database would.
    await migrate(db);
    return { db, name: undefined, url: undefined, drop: () => db.close() };
  }
  const name = `specgate_test_${randomBytes(6).toString('hex')}`;
  await withClient((c) => c.query(`CREATE DATABASE ${name}`));
  const env = { ...(await databaseEnv(urlOf(name, options.port))), ...options.env };
  const db = await openDatabase(loadConfig(env).database);
  if (options.migrate !== false) await migrate(db);
  return {
    db,
    name,
    url: urlOf(name),
    drop: async () => {
      await db.close();
      await withClient((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
