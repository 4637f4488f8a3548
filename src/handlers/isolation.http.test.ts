/**
 * User isolation (OWASP API1), randomised but deterministic: several users — two of whom differ
 * only in letter case — interleave creates, reads, lists, patches and deletes, aiming most
 * reads and writes at other users' tasks. Every foreign attempt is the same 404 as a missing
 * task, lists hold exactly the caller's own tasks, and nothing foreign ever changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';

const SEED = 20261122;
const STEPS = 160;
const USERS = ['alice', 'Alice', 'bob', 'carol'] as const;
type User = (typeof USERS)[number];

interface Task {
  id: string;
  title: string;
  description: string | null;
  is_completed: boolean;
  created_at: string;
  updated_at: string;
}

/** mulberry32: a tiny seeded PRNG, so a failure replays exactly. */
function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

let server: TestServer;
const tokens = new Map<User, string>();
beforeAll(async () => {
  server = await startTestServer();
  for (const user of USERS) tokens.set(user, await mintToken(user));
});
afterAll(() => server.close());

const send = (as: User, path: string, method = 'GET', body?: unknown) =>
  server.request(path, {
    method,
    token: tokens.get(as)!,
    ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });

async function listAll(as: User): Promise<Task[]> {
  const items: Task[] = [];
  let cursor: string | null = null;
  do {
    const res = await send(as, `/api/tasks?limit=7${cursor === null ? '' : `&cursor=${cursor}`}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as { items: Task[]; next_cursor: string | null };
    items.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return items;
}

async function expectNotFound(res: Response) {
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ detail: 'Task not found.', status_code: 404, error_type: 'not_found', request_id: res.headers.get('x-request-id') });
}

describe('user isolation', () => {
  it(`holds over ${STEPS} interleaved operations of ${USERS.length} users (seed ${SEED})`, async () => {
    const random = prng(SEED);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const owners = new Map<string, User>();
    const model = new Map<string, Task>();
    const foreignAttempts = { get: 0, patch: 0, delete: 0 };

    const target = (actor: User): string | undefined => {
      const ids = [...owners.keys()];
      const foreign = ids.filter((id) => owners.get(id) !== actor);
      const own = ids.filter((id) => owners.get(id) === actor);
      if (foreign.length > 0 && (own.length === 0 || random() < 0.6)) return pick(foreign);
      return own.length > 0 ? pick(own) : undefined;
    };

    for (let step = 0; step < STEPS; step += 1) {
      const actor = pick(USERS);
      const roll = random();
      const id = target(actor);
      if (roll < 0.3 || id === undefined) {
        const res = await send(actor, '/api/tasks', 'POST', { title: `${actor} #${step}`, description: random() < 0.5 ? null : `step ${step}` });
        expect(res.status).toBe(201);
        const task = (await res.json()) as Task;
        owners.set(task.id, actor);
        model.set(task.id, task);
      } else if (roll < 0.5) {
        const listed = await listAll(actor);
        expect(listed.map((t) => t.id).sort()).toEqual([...owners].filter(([, o]) => o === actor).map(([i]) => i).sort());
      } else {
        const mine = owners.get(id) === actor;
        const action = roll < 0.7 ? 'get' : roll < 0.9 ? 'patch' : 'delete';
        const res =
          action === 'get'
            ? await send(actor, `/api/tasks/${id}`)
            : action === 'patch'
              ? await send(actor, `/api/tasks/${id}`, 'PATCH', random() < 0.5 ? { title: `renamed by ${actor}` } : { is_completed: true })
              : await send(actor, `/api/tasks/${id}`, 'DELETE');
        if (!mine) {
          foreignAttempts[action] += 1;
          await expectNotFound(res);
        } else if (action === 'delete') {
          expect(res.status).toBe(204);
          owners.delete(id);
          model.delete(id);
        } else {
          expect(res.status).toBe(200);
          const task = (await res.json()) as Task;
          if (action === 'get') expect(task).toEqual(model.get(id));
          model.set(id, task);
        }
      }
    }

    expect(Math.min(foreignAttempts.get, foreignAttempts.patch, foreignAttempts.delete)).toBeGreaterThan(3);
    for (const user of USERS) {
      const listed = await listAll(user);
      const expected = [...model.values()].filter((t) => owners.get(t.id) === user);
      expect(listed.sort((a, b) => a.id.localeCompare(b.id))).toEqual(expected.sort((a, b) => a.id.localeCompare(b.id)));
    }
  });
});
