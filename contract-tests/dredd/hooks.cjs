/**
 * dredd hooks for openapi.yaml (CommonJS: dredd 14 requires hook files).
 * - authentication: a bearer JWT from DREDD_TOKEN, or minted (HS256) from DREDD_JWT_SECRET;
 * - fixtures: path parameters come from a task created by an earlier POST;
 * - declared error statuses are triggered on purpose (400, 401, 404, 412, 413, 415, 422, 431), and a 304
 *   by sending the task's current ETag in If-None-Match; the ones a healthy
 *   server cannot be made to answer (500, 503) stay skipped, and say so;
 * - bodies are checked against the real JSON Schema of the spec (dredd's OpenAPI 3 adapter
 *   gives none and would otherwise only compare keys with the example).
 */
const { createHmac, randomUUID } = require('node:crypto');
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const hooks = require('hooks');
const { parse } = require('yaml');

const spec = parse(readFileSync(join(__dirname, '../../openapi.yaml'), 'utf8'));
const ORIGIN = process.env.DREDD_ORIGIN || 'http://localhost:3000';
const EXAMPLE_TASK_ID = spec.components.parameters.TaskId.example;
const fixture = { taskId: undefined, token: undefined, baseUrl: undefined };

/** Creates a task for the fixture user and returns its id. */
async function createTask(title) {
  const res = await fetch(`${fixture.baseUrl}/api/tasks`, {
    method: 'POST',
    headers: { authorization: `Bearer ${fixture.token}`, 'content-type': 'application/json', origin: ORIGIN },
    body: JSON.stringify({ title }),
  });
  if (res.status !== 201) throw new Error(`fixture POST /api/tasks answered ${res.status}`);
  return (await res.json()).id;
}

/** The fixture task's current ETag, for the 304 transaction's If-None-Match. */
async function currentEtag() {
  const res = await fetch(`${fixture.baseUrl}/api/tasks/${fixture.taskId}`, { headers: { authorization: `Bearer ${fixture.token}`, origin: ORIGIN } });
  return res.headers.get('etag');
}

/** Resolves internal $refs (openapi.yaml has no cycles). */
function deref(value) {
  if (Array.isArray(value)) return value.map(deref);
  if (!value || typeof value !== 'object') return value;
  if (typeof value.$ref === 'string') return deref(value.$ref.slice(2).split('/').reduce((o, k) => o[k], spec));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deref(v)]));
}

function mint(secret) {
  const b64 = (x) => Buffer.from(JSON.stringify(x)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: `dredd-${randomUUID()}`, iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** dredd sends `fullPath` (the server URL's base path + uri) and reports `request.uri`: both change. */
function setUri(t, uri) {
  t.fullPath = t.fullPath.slice(0, t.fullPath.length - t.request.uri.length) + uri;
  t.request.uri = uri;
}

function operationOf(t) {
  return spec.paths[t.origin.resourceName]?.[t.request.method.toLowerCase()];
}

/** The changes that make a request earn each declared error status. */
const TRIGGERS = {
  400: (t) => {
    if (t.request.uri.includes(fixture.taskId)) setUri(t, t.request.uri.replace(fixture.taskId, 'not-a-uuid'));
    else setUri(t, t.request.uri + (t.request.uri.includes('?') ? '&' : '?') + 'undeclared_parameter=1');
  },
  401: (t) => {
    delete t.request.headers.Authorization;
  },
  404: (t) => {
    setUri(t, t.request.uri.replace(fixture.taskId, randomUUID()));
  },
  // On a task of its own, so no other transaction's change or deletion matters.
  412: async (t) => {
    setUri(t, t.request.uri.replace(fixture.taskId, await createTask('dredd precondition')));
    t.request.headers['If-Match'] = '"stale"';
  },
  // The key is first used with another body, so this transaction's body reuses it.
  422: async (t) => {
    const key = `dredd-${randomUUID()}`;
    await fetch(`${fixture.baseUrl}/api/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fixture.token}`, 'content-type': 'application/json', origin: ORIGIN, 'idempotency-key': key },
      body: JSON.stringify({ title: 'dredd first body' }),
    });
    t.request.headers['Idempotency-Key'] = key;
  },
  413: (t) => {
    t.request.body = JSON.stringify({ title: 'x', description: 'x'.repeat(1024 * 1024) });
  },
  415: (t) => {
    t.request.headers['Content-Type'] = 'text/plain';
  },
  431: (t) => {
    t.request.headers['X-Padding'] = 'x'.repeat(40 * 1024);
  },
};

hooks.beforeAll(async (transactions, done) => {
  try {
    fixture.token = process.env.DREDD_TOKEN || (process.env.DREDD_JWT_SECRET ? mint(process.env.DREDD_JWT_SECRET) : undefined);
    if (!fixture.token) throw new Error('Set DREDD_TOKEN or DREDD_JWT_SECRET.');
    const { protocol, host } = transactions[0];
    fixture.baseUrl = `${protocol}//${host}:${transactions[0].port}`;
    fixture.taskId = await createTask('dredd fixture');
    done();
  } catch (error) {
    hooks.log(`fixture setup failed: ${error.message}`);
    done(error);
  }
});

hooks.beforeEach(async (t, done) => {
  const op = operationOf(t);
  const status = Number(t.expected.statusCode);
  t.request.headers.Origin = ORIGIN;
  // Preconditions and idempotency keys are sent only where a transaction is about them, never from the examples.
  delete t.request.headers['If-Match'];
  delete t.request.headers['If-None-Match'];
  delete t.request.headers['Idempotency-Key'];
  // Sent only sometimes, as the spec says: on a replay; while limits are on and Redis answers.
  for (const name of ['Idempotent-Replayed', 'RateLimit', 'RateLimit-Policy']) delete t.expected.headers[name];
  // A successful DELETE removes its own task, so no other transaction depends on the order dredd runs them in.
  let taskId = fixture.taskId;
  if (t.request.method === 'DELETE' && status < 300) {
    try {
      taskId = await createTask('dredd delete fixture');
    } catch (error) {
      hooks.log(`fixture setup failed: ${error.message}`);
      return done(error);
    }
  }
  setUri(t, t.request.uri.replace(EXAMPLE_TASK_ID, taskId));
  const secured = (op.security ?? spec.security ?? []).length > 0;
  if (secured) t.request.headers.Authorization = `Bearer ${fixture.token}`;
  if (status >= 400) {
    const trigger = TRIGGERS[status];
    if (!trigger || (status === 401 && !secured)) {
      t.skip = true;
      hooks.log(`skipped on purpose: ${t.name} (a healthy server cannot be made to answer ${status})`);
      return done();
    }
    t.skip = false;
    try {
      await trigger(t);
    } catch (error) {
      hooks.log(`trigger for ${status} failed: ${error.message}`);
      return done(error);
    }
  }
  if (status === 304) {
    delete t.expected.body;
    t.request.headers['If-None-Match'] = await currentEtag();
    return done();
  }
  const response = deref(op.responses[String(status)]);
  const [mediaType, media] = Object.entries(response?.content ?? {})[0] ?? [];
  // The server always names the charset of what it sends; the spec names the media type.
  if (mediaType) t.expected.headers['Content-Type'] = `${mediaType}; charset=utf-8`;
  if (mediaType === 'application/json' && media.schema) t.expected.bodySchema = media.schema;
  // JSON is checked by its schema; the HTML/YAML examples are illustrations, not the exact text.
  delete t.expected.body;
  done();
});

