/**
 * The Tasks API's database with a CLIENT span per statement (`SELECT tasks`) and per transaction,
 * children of the request being served (made per sampled request, src/app.ts). Spans carry the statement's kind and table, never its
 * text's values or parameters.
 */
import type { Database, Queryable } from '../db/database.js';
import { summarize } from './statement-summary.js';
import type { RequestTrace, SpanAttributes } from './tracing.js';

// The semantic conventions' names, written out: this file is loaded with tracing off too, and loads nothing of OpenTelemetry.
const ATTR_DB_SYSTEM_NAME = 'db.system.name';
const ATTR_DB_OPERATION_NAME = 'db.operation.name';
const ATTR_DB_COLLECTION_NAME = 'db.collection.name';
const ATTR_DB_QUERY_SUMMARY = 'db.query.summary';
const SYSTEM = { [ATTR_DB_SYSTEM_NAME]: 'postgresql' } as const;

/** `queryable` whose statements are spans. */
function tracedQueries(queryable: Queryable, trace: RequestTrace): Queryable['query'] {
  return (sql, params) => {
    const { summary, operation, table } = summarize(sql);
    const attributes: SpanAttributes = table === undefined
      ? { ...SYSTEM, [ATTR_DB_OPERATION_NAME]: operation, [ATTR_DB_QUERY_SUMMARY]: summary }
      : { ...SYSTEM, [ATTR_DB_OPERATION_NAME]: operation, [ATTR_DB_COLLECTION_NAME]: table, [ATTR_DB_QUERY_SUMMARY]: summary };
    return trace.client(summary, attributes, () => queryable.query(sql, params));
  };
}

/** `db` for one sampled request: its statements and transactions are CLIENT spans of `trace`. */
export function tracedDatabase(db: Database, trace: RequestTrace): Database {
  const traced: Database = {
    driver: db.driver,
    query: tracedQueries(db, trace),
    transaction: (fn) => trace.client('transaction', { ...SYSTEM, [ATTR_DB_OPERATION_NAME]: 'transaction' }, () => db.transaction((tx) => fn({ query: tracedQueries(tx, trace) }))),
    ping: () => db.ping(),
    close: () => db.close(),
  };
  if (db.pool) traced.pool = () => db.pool!();
  return traced;
}
