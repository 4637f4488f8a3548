/**
 * The apps that together produce every error_type through real mechanisms: the Tasks API itself,
 * one whose handler throws, one in production whose handler returns what cannot be serialised, a fixture with scopes, a unique index, a tiny rate limit and a retired
 * operation, and
 * two whose database is down (connection refused, connect timeout).
 */
import type { Stage } from '../pipeline/pipeline.js';
import type { Handlers } from '../contract/handler.js';
import { contractFrom, loadContract, type Contract } from '../contract/spec.js';
import type { Database } from '../db/database.js';
import { openPg } from '../db/pg.js';
import { handlers } from '../handlers/index.js';
import { createTestDatabase, type TestDatabase } from './database.js';
import { blackHole, refusedPort, type Outage } from './outage.js';
import { ALLOWED_ORIGIN, startTestServer, type TestServer, type TestServerOptions } from './server.js';
import { mintToken } from './tokens.js';

/** Which app a request goes to. */
export type Target = 'api' | 'broken' | 'production' | 'fixture' | 'dbDown' | 'dbTimeout' | 'upstreamDown' | 'upstreamSlow';

/** The scope the fixture contract requires for getTask. */
export const FIXTURE_SCOPE = 'tasks:read';
/** A task the fixture database holds for the test user, so a stale If-Match on it is refused (412). */
export const FIXTURE_TASK = '6a0b3c2d-1e4f-4a5b-8c7d-9e0f1a2b3c4d';
/** An Idempotency-Key the test user already used with another body, so sending it again is refused (422). */
export const USED_KEY = 'used-with-another-body';
/** A title the fixture database already holds for the test user, so creating it again conflicts. */
export const TAKEN_TITLE = 'Already taken';

/** When the fixture's deleteTask was retired (x-sunset). */
export const FIXTURE_SUNSET = '2025-06-30T00:00:00Z';

/** Databases and tokens shared by every app of a world (and by mutant apps built from it). */
export interface WorldResources {
  /** `foreign` is signed with another secret than the apps'. */
  readonly tokens: { readonly user: string; readonly unscoped: string; readonly limited: string; readonly foreign: string };
  readonly dbs: Readonly<Record<Target, Database>>;
  /** Upstream base URLs for gateway mode: a port that refuses connections, one that never answers. */
  readonly upstreams: { readonly refused: string; readonly silent: string };
  close(): Promise<void>;
}

/**
 * The Tasks contract with a scope on getTask, so a token without it is refused (403), and a rate
 * limit of one request an hour per caller on listTasks, so the second one is refused (429).
 */
function fixtureContract(): Contract {
  const document = structuredClone(loadContract().document);
  document.paths['/api/tasks/{taskId}'].get.security = [{ bearerAuth: [FIXTURE_SCOPE] }];
  const list = document.paths['/api/tasks'].get;
  list['x-specgate-rate-limit'] = { requests: 1, per: 3600, by: 'caller' };
  list.responses['429'] = { $ref: '#/components/responses/TooManyRequests' };
  // Retired with SUNSET_ENFORCE=true on this target: every call is answered 410 gone.
  Object.assign(document.paths['/api/tasks/{taskId}'].delete, { deprecated: true, 'x-deprecated-at': '2025-01-01', 'x-sunset': FIXTURE_SUNSET });
  return contractFrom(document);
}

/** The Tasks contract with getTask sent upstream (gateway mode). */
function upstreamContract(upstream: string): Contract {
  const document = structuredClone(loadContract().document);
  document.paths['/api/tasks/{taskId}'].get['x-specgate-upstream'] = upstream;
  return contractFrom(document);
}

const { getTask: _upstream, ...local } = handlers;
/** The Tasks handlers without getTask, which the upstream targets forward. */
const withoutGetTask = local as unknown as Handlers;

const brokenHandlers: Handlers = {
  ...handlers,
  getTask: async () => {
    throw new Error('relation "tasks" does not exist at SELECT secret FROM tasks');
  },
  listTasks: async () => ({ status: 200, body: { items: [{ id: 'not-a-task' }], next_cursor: null } }) as never,
};

/** In production responses are not validated, so only serialising this body (a BigInt) can fail. */
const unserialisableHandlers: Handlers = {
  ...handlers,
  createTask: async () => ({ status: 201, body: { id: 1n }, headers: { Location: '/api/tasks/1' } }) as never,
};

/** Opens the databases and mints the tokens a world needs. */
export async function openWorldResources(): Promise<WorldResources> {
  // One database for every app (creating one is the slow part); the unique index is a fixture,
  // the Tasks table has none, and no other case creates a task with TAKEN_TITLE.
  const fixture: TestDatabase = await createTestDatabase();
  await fixture.db.query('CREATE UNIQUE INDEX tasks_unique_title ON tasks (user_id, title)');
  await fixture.db.query('INSERT INTO tasks (id, user_id, title) VALUES (gen_random_uuid(), $1, $2)', ['user-errors', TAKEN_TITLE]);
  await fixture.db.query('INSERT INTO tasks (id, user_id, title) VALUES ($1, $2, $3)', [FIXTURE_TASK, 'user-errors', 'Edited elsewhere']);
  await fixture.db.query(
    `INSERT INTO idempotency_keys (user_id, operation, key, fingerprint, status, headers, expires_at) VALUES ($1, 'createTask', $2, 'another body', 201, '{}', now() + interval '1 day')`,
    ['user-errors', USED_KEY],
  );
  const refused: Outage = await refusedPort();
  const hole: Outage = await blackHole();
  const dbDown = openPg({ url: refused.url, connectTimeoutMs: 2000 });
  const dbTimeout = openPg({ url: hole.url, connectTimeoutMs: 300 });
  return {
    tokens: {
      user: await mintToken('user-errors', { scope: FIXTURE_SCOPE }),
      unscoped: await mintToken('user-errors'),
      limited: await mintToken('user-limited'),
      foreign: await mintToken('user-errors', {}, 'x'.repeat(40)),
    },
    dbs: { api: fixture.db, broken: fixture.db, production: fixture.db, fixture: fixture.db, dbDown, dbTimeout, upstreamDown: fixture.db, upstreamSlow: fixture.db },
    upstreams: { refused: `http://${new URL(refused.url).host}`, silent: `http://${new URL(hole.url).host}` },
    async close() {
      await Promise.all([dbDown.close(), dbTimeout.close()]);
      await Promise.all([hole.close(), refused.close(), fixture.drop()]);
    },
  };
}

/** Starts one target app over the shared resources; `arrange` rewrites its pipeline. */
export async function startTarget(
  resources: WorldResources,
  target: Target,
  options: { env?: Record<string, string>; arrange?: (stages: Stage[]) => Stage[]; parserCors?: boolean; host?: TestServerOptions['host'] } = {},
): Promise<TestServer> {
  const db = resources.dbs[target];
  const base = { env: options.env, arrange: options.arrange, parserCors: options.parserCors, host: options.host, db };
  if (target === 'broken') return startTestServer({ ...base, handlers: brokenHandlers });
  if (target === 'production') return startTestServer({ ...base, env: { CORS_ORIGINS: ALLOWED_ORIGIN, ...options.env, NODE_ENV: 'production' }, handlers: unserialisableHandlers });
  if (target === 'upstreamDown' || target === 'upstreamSlow') {
    // Gateway mode: getTask goes to an upstream that refuses, or never answers (300 ms timeout);
    // the breaker never opens here, so every request shows the failure itself.
    const upstream = target === 'upstreamDown' ? resources.upstreams.refused : resources.upstreams.silent;
    const env = { UPSTREAM_TIMEOUT_MS: '300', UPSTREAM_BREAKER_FAILURES: '1000', ...options.env };
    return startTestServer({ ...base, env, contract: upstreamContract(upstream), handlers: withoutGetTask });
  }
  if (target !== 'fixture') return startTestServer(base);
  const server = await startTestServer({
    ...base,
    env: { SUNSET_ENFORCE: 'true', ...options.env },
    contract: fixtureContract(),
  });
  // The limited caller spends its one request now; every later one is over the limit.
  const first = await server.request('/api/tasks', { token: resources.tokens.limited });
  if (first.status !== 200) throw new Error(`the rate-limit fixture's first request answered ${first.status}`);
  return server;
}

/** Every target app of a world, started. */
export type World = Readonly<Record<Target, TestServer>>;

/** Starts all targets; close them with closeWorld. */
export async function startWorld(resources: WorldResources, env?: Record<string, string>, host?: TestServerOptions['host']): Promise<World> {
  const targets: Target[] = ['api', 'broken', 'production', 'fixture', 'dbDown', 'dbTimeout', 'upstreamDown', 'upstreamSlow'];
  const servers = await Promise.all(targets.map((t) => startTarget(resources, t, { env, host })));
  return Object.fromEntries(targets.map((t, i) => [t, servers[i]!])) as Record<Target, TestServer>;
}

/** Stops every app of a world (the resources stay open). */
export async function closeWorld(world: World): Promise<void> {
  await Promise.all(Object.values(world).map((server) => server.close()));
}
