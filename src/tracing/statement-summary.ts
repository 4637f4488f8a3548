/**
 * A database span's name and attributes from its SQL alone: the statement's kind and first table
 * (`SELECT tasks`), never a parameter or a literal.
 */

/** What a span says about one statement. */
export interface StatementSummary {
  /** `SELECT tasks`, `INSERT idempotency_keys`, or the kind alone (`BEGIN`). */
  readonly summary: string;
  readonly operation: string;
  readonly table: string | undefined;
}

const TABLE_AFTER: Readonly<Record<string, RegExp>> = {
  SELECT: /\bFROM\s+("?[\w.]+"?)/i,
  DELETE: /\bFROM\s+("?[\w.]+"?)/i,
  INSERT: /\bINTO\s+("?[\w.]+"?)/i,
  UPDATE: /^\s*UPDATE\s+("?[\w.]+"?)/i,
};

const cache = new Map<string, StatementSummary>();
const CACHE_LIMIT = 500;

/** The summary of `sql` (statements are few and fixed: each is parsed once). */
export function summarize(sql: string): StatementSummary {
  let found = cache.get(sql);
  if (found !== undefined) return found;
  const operation = (/^\s*(\w+)/.exec(sql)?.[1] ?? 'QUERY').toUpperCase();
  const table = TABLE_AFTER[operation]?.exec(sql)?.[1]?.replace(/"/g, '');
  found = { summary: table === undefined ? operation : `${operation} ${table}`, operation, table };
  if (cache.size < CACHE_LIMIT) cache.set(sql, found);
  return found;
}
