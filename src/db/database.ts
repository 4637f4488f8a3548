/**
 * The one query interface every driver implements, so repositories and migrations run the
 * same parametrised SQL on embedded PGlite and on a PostgreSQL server.
 */

/** Anything that runs one parametrised statement. */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** A database handle: statements, transactions, a liveness probe and shutdown. */
export interface Database extends Queryable {
  readonly driver: 'pglite' | 'pg' | 'neon';
  /** Runs fn in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query. */
  ping(): Promise<void>;
  /** How the connection pool is used right now (server drivers; embedded PGlite has none). */
  pool?(): PoolUse;
  close(): Promise<void>;
}

/** Connections of a pool: the limit, checked out, open and unused, and requests waiting for one. */
export interface PoolUse {
  readonly max: number;
  readonly in_use: number;
  readonly idle: number;
  readonly waiting: number;
}
