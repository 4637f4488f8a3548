/**
 * Start-up that survives a database that is down: migrations are attempted at once, retried in
 * the background with backoff, and again on demand when a request needs the database. Until they
 * have been applied every query answers 503 service_unavailable (and /health 503 degraded).
 * An error that is not a connection failure (an edited migration, bad SQL) is fatal.
 */
import type { Database } from './database.js';
import { databaseUnreachable, isConnectionError, translateDbError } from './errors.js';
import { migrate } from './migrate.js';

/** What the gate reports and how it is tuned. */
export interface ReadinessOptions {
  /** A migration run applied these files. */
  onApplied?(files: string[]): void;
  /** The database could not be reached; the next attempt is in `retryInMs`. */
  onUnavailable?(error: unknown, retryInMs: number): void;
  /** A migration failed for a reason retrying cannot fix. */
  onFatal(error: unknown): void;
  /** First background retry delay, doubled up to maxRetryMs. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  readonly migrationsDir?: string;
}

/** A database that becomes usable once its migrations are applied. */
export interface ReadinessGate {
  readonly db: Database;
  readonly ready: boolean;
  /** Settles when the first attempt has (whatever its outcome), so start-up can refuse a fatal error before listening. */
  readonly firstAttempt: Promise<void>;
  /** Stops background retries. */
  stop(): void;
}

/** Wraps db so that nothing reaches it before migrate() has succeeded once. */
export function gateOnMigrations(db: Database, options: ReadinessOptions): ReadinessGate {
  const base = options.retryMs ?? 1000;
  const cap = options.maxRetryMs ?? 30_000;
  let ready = false;
  let stopped = false;
  let delay = base;
  let inFlight: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;

  const attempt = (): Promise<void> =>
    (inFlight ??= migrate(db, options.migrationsDir)
      .then((files) => {
        ready = true;
        if (timer) clearTimeout(timer);
        if (files.length > 0) options.onApplied?.(files);
      })
      .catch((error: unknown) => {
        if (!isConnectionError(error)) {
          stopped = true;
          options.onFatal(error);
          throw error;
        }
        if (!stopped && !timer) {
          options.onUnavailable?.(error, delay);
          timer = setTimeout(() => {
            timer = undefined;
            void attempt().catch(() => {});
          }, delay);
          timer.unref();
          delay = Math.min(delay * 2, cap);
        }
        throw error;
      })
      .finally(() => {
        inFlight = undefined;
      }));

  const ensure = async () => {
    if (ready) return;
    try {
      await attempt();
    } catch (error) {
      throw translateDbError(error) ?? databaseUnreachable(error);
    }
  };

  const firstAttempt = attempt().catch(() => {});
  return {
    firstAttempt,
    get ready() {
      return ready;
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
    db: {
      driver: db.driver,
      query: async (sql, params) => {
        await ensure();
        return db.query(sql, params);
      },
      transaction: async (fn) => {
        await ensure();
        return db.transaction(fn);
      },
      ping: async () => {
        await ensure();
        await db.ping();
      },
      ...(db.pool ? { pool: () => db.pool!() } : {}),
      close: () => db.close(),
    },
  };
}
