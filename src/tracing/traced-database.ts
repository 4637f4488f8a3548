/**
 * The Tasks API's database with a CLIENT span per statement (`SELECT tasks`) and per transaction,
 * children of the request being served. Spans carry the statement's kind and table, never its
 * text's values or parameters.
 */
import type { Database, Queryable } from '../db/database.js';
import { summarize } from './statement-summary.js';
import type { SpanAttributes, Tracing } from './tracing.js';

// The semantic conventions' names, written out: this file is loaded with tracing off too, and loads nothing of OpenTelemetry.
const ATTR_DB_SYSTEM_NAME = 'db.system.name';
const ATTR_DB_OPERATION_NAME = 'db.operation.name';
const ATTR_DB_COLLECTION_NAME = 'db.collection.name';
const ATTR_DB_QUERY_SUMMARY = 'db.query.summary';
const SYSTEM = { [ATTR_DB_SYSTEM_NAME]: 'postgresql' } as const;

/** `queryable` whose statements are spans. */
function tracedQueries(queryable: Queryable, tracing: Tracing): Queryable['query'] {
  return (sql, params) => {
    const { summary, operation, table } = summarize(sql);
    const attributes: SpanAttributes = table === undefined
      ? { ...SYSTEM, [ATTR_DB_OPERATION_NAME]: operation, [ATTR_DB_QUERY_SUMMARY]: summary }
      : { ...SYSTEM, [ATTR_DB_OPERATION_NAME]: operation, [ATTR_DB_COLLECTION_NAME]: table, [ATTR_DB_QUERY_SUMMARY]: summary };
    return tracing.client(summary, attributes, () => queryable.query(sql, params));
  };
}

/** Wraps `db` so that its statements and transactions are traced. */
export function tracedDatabase(db: Database, tracing: Tracing): Database {
  const traced: Database = {
    driver: db.driver,
    query: tracedQueries(db, tracing),
    transaction: (fn) => tracing.client('transaction', { ...SYSTEM, [ATTR_DB_OPERATION_NAME]: 'transaction' }, () => db.transaction((tx) => fn({ query: tracedQueries(tx, tracing) }))),
    ping: () => db.ping(),
    close: () => db.close(),
  };
  if (db.pool) traced.pool = () => db.pool!();
  return traced;
}
