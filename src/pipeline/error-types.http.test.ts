import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SERVER_ERROR_TYPES } from '../serve/bare-answers.js';
import { loadContract } from '../contract/spec.js';
import { declaredAnswerProblems, operationAt } from '../testing/declared-answer.js';
import { errorCases, type ErrorCase } from '../testing/error-cases.js';
import { closeWorld, openWorldResources, startWorld, type World, type WorldResources } from '../testing/error-world.js';
import { ALLOWED_ORIGIN } from '../testing/server.js';

// What only the HTTP server answers (no fetch() can cause it) is covered on raw sockets in src/serve/bare-answers.test.ts.
const enumValues: string[] = loadContract().document.components.schemas.ErrorType.enum.filter(
  (type: string) => !(SERVER_ERROR_TYPES as readonly string[]).includes(type),
);

let resources: WorldResources;
let world: World;
let cases: ErrorCase[];

beforeAll(async () => {
  resources = await openWorldResources();
  world = await startWorld(resources);
  cases = errorCases(resources);
});
afterAll(async () => {
  await closeWorld(world);
  await resources.close();
});

/** The exact body a case expects, with the request id the response names. */
const expectedBody = (c: ErrorCase, res: Response) => ({
  detail: c.detail instanceof RegExp ? expect.stringMatching(c.detail) : c.detail,
  status_code: c.status,
  error_type: c.errorType,
  request_id: res.headers.get('x-request-id'),
  ...c.extra,
});

const send = (c: ErrorCase, origin: string) =>
  world[c.request.target].request(c.request.path, {
    method: c.request.method,
    headers: { ...c.request.headers, origin },
    ...(c.request.body === undefined ? {} : { body: c.request.body }),
  });

describe('every error_type of openapi.yaml', () => {
  it('is the set the cases produce, so a new value needs a case', () => {
    expect(new Set(cases.map((c) => c.errorType))).toEqual(new Set(enumValues));
  });

  it.each(enumValues)('%s is produced by a real request, with CORS, for every case that names it', async (errorType) => {
    const mine = cases.filter((c) => c.errorType === errorType);
    expect(mine.length).toBeGreaterThan(0);
    for (const c of mine) {
      const res = await send(c, ALLOWED_ORIGIN);
      const body = await res.json();
      expect({ name: c.name, status: res.status, body }).toEqual({ name: c.name, status: c.status, body: expectedBody(c, res) });
      expect(res.headers.get('x-request-id')).toMatch(/\S/);
      for (const name of c.absent ?? []) expect(res.headers.get(name), `${c.name}: ${name} is absent`).toBeNull();
      expect(res.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(res.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
      expect(res.headers.get('access-control-allow-credentials')).toBe('true');
      expect(res.headers.get('vary')).toBe('Origin');
      const exposed = (res.headers.get('access-control-expose-headers') ?? '').split(', ');
      for (const [name, pattern] of Object.entries(c.exposed)) {
        expect(res.headers.get(name), `${c.name}: ${name}`).toMatch(pattern);
        expect(exposed, `${c.name}: ${name} is exposed`).toContain(name);
      }
      expect(exposed).toContain('X-Request-ID');
    }
  });
});

describe('what each server publishes', () => {
  it("declares each 503 the cases get on its operation, in the body and headers sent (GET /openapi.json of the case's server)", async () => {
    const published = new Map<string, Record<string, any>>();
    const problems: string[] = [];
    const unavailable = cases.filter((c) => c.status === 503);
    expect(unavailable.length).toBeGreaterThan(0);
    for (const c of unavailable) {
      const server = world[c.request.target];
      if (!published.has(c.request.target)) published.set(c.request.target, await (await server.request('/openapi.json')).json());
      const document = published.get(c.request.target)!;
      const operationId = operationAt(document, c.request.method, c.request.path);
      const res = await send(c, ALLOWED_ORIGIN);
      const body = await res.text();
      expect(operationId, c.name).toBeDefined();
      problems.push(...declaredAnswerProblems(document, operationId!, res, body).map((p) => `${c.name}: ${p}`));
    }
    expect(problems).toEqual([]);
  });
});

describe('a foreign Origin', () => {
  it('gets the same errors without a single CORS header', async () => {
    for (const c of cases) {
      const res = await send(c, 'https://evil.example');
      expect({ name: c.name, status: res.status, body: await res.json() }).toEqual({ name: c.name, status: c.status, body: expectedBody(c, res) });
      const cors: string[] = [];
      res.headers.forEach((_value, name) => name.startsWith('access-control-') && cors.push(name));
      expect(cors).toEqual([]);
      expect(res.headers.get('vary')).toBe('Origin');
    }
  });
});
