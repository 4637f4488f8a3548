/**
 * The tasks table (components.schemas.Task). Every statement takes the owner's id and filters
 * on it, so one user's rows are unreachable through another's requests.
 */
import { randomUUID } from 'node:crypto';
import type { components } from '../../generated/api.js';
import type { Database, Queryable } from './database.js';

/** A task as the API returns it. */
export type Task = components['schemas']['Task'];

/** Where the next page starts: the last row's creation time and id. */
export interface PageKey {
  readonly createdAt: string;
  readonly id: string;
}

interface TaskRow {
  id: string;
  title: string;
  description: string | null;
  is_completed: boolean;
  created_at: Date | string;
  updated_at: Date | string;
}

const COLUMNS = 'id, title, description, is_completed, created_at, updated_at';

const iso = (value: Date | string) => new Date(value).toISOString();

const toTask = (row: TaskRow): Task => ({
  id: row.id,
  title: row.title,
  description: row.description,
  is_completed: row.is_completed,
  created_at: iso(row.created_at),
  updated_at: iso(row.updated_at),
});

/** Lists one user's tasks newest first, after `after` when given; returns up to `limit` + 1 rows. */
export async function listTasks(
  db: Queryable,
  userId: string,
  options: { completed?: boolean; limit: number; after?: PageKey },
): Promise<Task[]> {
  const params: unknown[] = [userId];
  let where = 'user_id = $1';
  if (options.completed !== undefined) {
    params.push(options.completed);
    where += ` AND is_completed = $${params.length}`;
  }
  if (options.after) {
    params.push(options.after.createdAt, options.after.id);
    where += ` AND (created_at, id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  params.push(options.limit + 1);
  const rows = await db.query<TaskRow>(
    `SELECT ${COLUMNS} FROM tasks WHERE ${where} ORDER BY created_at DESC, id DESC LIMIT $${params.length}`,
    params,
  );
  return rows.map(toTask);
}

/** Inserts a task owned by userId. */
export async function insertTask(
  db: Queryable,
  userId: string,
  fields: { title: string; description: string | null },
): Promise<Task> {
  const rows = await db.query<TaskRow>(
    // One timestamp for both columns: a new task's updated_at equals its created_at.
    `INSERT INTO tasks (id, user_id, title, description, created_at, updated_at)
     SELECT $1, $2, $3, $4, at, at FROM (SELECT date_trunc('milliseconds', clock_timestamp()) AS at) AS now
     RETURNING ${COLUMNS}`,
    [randomUUID(), userId, fields.title, fields.description],
  );
  return toTask(rows[0]!);
}

/** Reads one of userId's tasks, or undefined when it is missing or someone else's. */
export async function findTask(db: Queryable, userId: string, id: string): Promise<Task | undefined> {
  const rows = await db.query<TaskRow>(`SELECT ${COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2`, [id, userId]);
  return rows[0] && toTask(rows[0]);
}

/**
 * Called with the task as it is, row locked, before a guarded change; throws to refuse it (the
 * transaction rolls back), so the check and the write are one atomic step.
 */
export type Guard = (current: Task) => void;

/** Runs write on the task locked FOR UPDATE after guard accepted it; without a guard, write alone. */
async function guarded<T>(db: Database, userId: string, id: string, guard: Guard | undefined, write: (q: Queryable) => Promise<T>): Promise<T | undefined> {
  if (!guard) return write(db);
  return db.transaction(async (tx) => {
    const rows = await tx.query<TaskRow>(`SELECT ${COLUMNS} FROM tasks WHERE id = $1 AND user_id = $2 FOR UPDATE`, [id, userId]);
    if (!rows[0]) return undefined;
    guard(toTask(rows[0]));
    return write(tx);
  });
}

/** Changes the given fields of one of userId's tasks; undefined when it is missing or someone else's. */
export async function updateTask(
  db: Database,
  userId: string,
  id: string,
  changes: { title?: string; description?: string | null; is_completed?: boolean },
  guard?: Guard,
): Promise<Task | undefined> {
  const params: unknown[] = [id, userId];
  const sets: string[] = [];
  for (const column of ['title', 'description', 'is_completed'] as const) {
    if (changes[column] === undefined) continue;
    params.push(changes[column]);
    sets.push(`${column} = $${params.length}`);
  }
  sets.push(`updated_at = greatest(created_at, date_trunc('milliseconds', clock_timestamp()))`);
  return guarded(db, userId, id, guard, async (q) => {
    const rows = await q.query<TaskRow>(`UPDATE tasks SET ${sets.join(', ')} WHERE id = $1 AND user_id = $2 RETURNING ${COLUMNS}`, params);
    return rows[0] && toTask(rows[0]);
  });
}

/** Deletes one of userId's tasks; false when it is missing or someone else's. */
export async function deleteTask(db: Database, userId: string, id: string, guard?: Guard): Promise<boolean> {
  const deleted = await guarded(db, userId, id, guard, async (q) => {
    const rows = await q.query('DELETE FROM tasks WHERE id = $1 AND user_id = $2 RETURNING id', [id, userId]);
    return rows.length > 0;
  });
  return deleted === true;
}
