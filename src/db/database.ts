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
  close(): Promise<void>;
}
