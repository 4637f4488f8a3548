/**
 * The node-postgres-compatible pool behind both server drivers (pg and Neon): a bounded connect
 * retry with backoff (Neon cold starts, brief outages), statement_timeout set on each new
 * connection, broken connections discarded instead of returned, transactions on one client.
 * A request waits at most DB_POOL_TIMEOUT_MS for one of the DB_POOL_MAX connections: a pool busy
 * behind slow or locked statements answers 503 "pool exhausted" quickly, not after the connect
 * timeout and its retries, and it is told apart from a database that is down.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Database, Queryable } from './database.js';
import { isConnectionError, poolExhausted } from './errors.js';

/** The part of a node-postgres PoolClient this module uses (pg and @neondatabase/serverless both fit). */
export interface PoolClientLike {
  query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
  release(destroy?: boolean): void;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** The part of a node-postgres Pool this module uses. */
export interface PoolLike {
  connect(): Promise<PoolClientLike>;
  /** Open connections not checked out (node-postgres and Neon's Pool have it). */
  readonly idleCount?: number;
  end(): Promise<void>;
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/** How the pool treats connections. */
export interface PoolSettings {
  /** Connections at most (the driver's pool has the same limit). */
  readonly max: number;
  /** How long a request waits for a free connection. */
  readonly poolTimeoutMs: number;
  /** Extra connect attempts after the first fails with a connection error. */
  readonly connectRetries: number;
  /** Server-side limit per statement; 0 turns it off. */
  readonly statementTimeoutMs: number;
  /** First backoff delay; doubled per attempt, capped at 2 s. */
  readonly retryBaseMs?: number;
}

const MAX_BACKOFF_MS = 2000;

/** Wraps a pg-compatible pool as a Database. */
export function poolDatabase(driver: 'pg' | 'neon', pool: PoolLike, settings: PoolSettings): Database {
  const prepared = new WeakSet<PoolClientLike>();
  const base = settings.retryBaseMs ?? 200;
  let closed = false;
  // An idle client whose server went away emits 'error' on the pool, which drops it; the next acquire reconnects.
  pool.on('error', () => {});

  // Slots for the pool's connections, so no request ever queues inside the driver for longer than poolTimeoutMs.
  let inUse = 0;
  const waiters: (() => void)[] = [];
  const take = (): Promise<void> | undefined => {
    if (inUse < settings.max) {
      inUse++;
      return undefined;
    }
    return new Promise((resolve, reject) => {
      const granted = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(granted), 1);
        reject(poolExhausted(settings.max, settings.poolTimeoutMs, waiters.length));
      }, settings.poolTimeoutMs);
      waiters.push(granted);
    });
  };
  // A freed slot goes straight to the longest waiter.
  const give = () => {
    const next = waiters.shift();
    if (next) next();
    else inUse--;
  };

  async function acquire(): Promise<PoolClientLike> {
    const slot = take();
    if (slot) await slot;
    try {
      return await connect();
    } catch (error) {
      give();
      throw error;
    }
  }

  async function connect(): Promise<PoolClientLike> {
    for (let attempt = 0; ; attempt++) {
      let client: PoolClientLike | undefined;
      try {
        client = await pool.connect();
        if (!prepared.has(client)) {
          // A checked-out client whose connection drops between statements emits 'error'; the
          // statement that follows fails and discards the client, so the event itself is not fatal.
          client.on('error', () => {});
          // A startup parameter would be refused by Neon's pooler and dropped by its proxy; SET works on both.
          await client.query(`SET statement_timeout = ${Math.trunc(settings.statementTimeoutMs)}`);
          prepared.add(client);
        }
        return client;
      } catch (error) {
        client?.release(true);
        if (closed || attempt >= settings.connectRetries || !isConnectionError(error)) throw error;
        await sleep(Math.min(base * 2 ** attempt, MAX_BACKOFF_MS) * (0.75 + Math.random() * 0.5));
      }
    }
  }

  async function withClient<T>(fn: (client: PoolClientLike) => Promise<T>): Promise<T> {
    const client = await acquire();
    let broken = false;
    try {
      return await fn(client);
    } catch (error) {
      broken = isConnectionError(error);
      throw error;
    } finally {
      client.release(broken);
      give();
    }
  }

  const on = (client: PoolClientLike): Queryable['query'] =>
    async (sql, params = []) => (await client.query(sql, [...params])).rows as never;

  return {
    driver,
    query: (sql, params) => withClient((client) => on(client)(sql, params)),
    transaction: (fn) =>
      withClient(async (client) => {
        await client.query('BEGIN');
        try {
          const result = await fn({ query: on(client) });
          await client.query('COMMIT');
          return result;
        } catch (error) {
          await client.query('ROLLBACK').catch(() => {});
          throw error;
        }
      }),
    ping: async () => {
      await withClient((client) => client.query('SELECT 1'));
    },
    pool: () => ({ max: settings.max, in_use: inUse, idle: pool.idleCount ?? 0, waiting: waiters.length }),
    close: async () => {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
