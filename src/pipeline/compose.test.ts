/**
 * compose() keeps Express's stage contract on node:http: stages run in order, and a stage's
 * next(error), throw or rejected promise skips to the error stage with no later request stage run;
 * an error stage's next() resumes the request stages after it; what no stage answers reaches `out`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compose } from './compose.js';
import type { ErrorStage, RequestStage } from './stage.js';

const ran = new WeakMap<ServerResponse, string[]>();
const mark = (name: string): RequestStage => (_req, res, next) => {
  ran.set(res, [...(ran.get(res) ?? []), name]);
  next();
};
const json = (res: ServerResponse, status: number, body: unknown) => {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json');
  res.end(JSON.stringify(body));
};
const end: RequestStage = (_req, res) => json(res, 200, { ran: [...(ran.get(res) ?? []), 'end'] });
const failBy: Record<string, RequestStage> = {
  next: (_req, _res, next) => next(new Error('by next')),
  throw: () => {
    throw new Error('by throw');
  },
  reject: async () => {
    await Promise.resolve();
    throw new Error('by rejection');
  },
};
const report: ErrorStage = (error, _req, res, _next) => json(res, 500, { ran: ran.get(res) ?? [], error: (error as Error).message });
const recover: ErrorStage = (_error, _req, res, next) => {
  ran.set(res, [...(ran.get(res) ?? []), 'recovered']);
  next();
};

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/ok': (req, res) => compose([mark('a'), report, mark('b'), end])(req, res, () => json(res, 599, {})),
  '/recover': (req, res) => compose([mark('a'), failBy.next!, mark('skipped'), recover, mark('b'), end])(req, res, () => json(res, 599, {})),
  '/off-the-end': (req, res) => compose([mark('a')])(req, res, (error) => json(res, 404, { ran: ran.get(res), out: error ?? null })),
  '/unhandled': (req, res) => compose([mark('a'), failBy.throw!])(req, res, (error) => json(res, 502, { out: (error as Error).message })),
  ...Object.fromEntries(
    Object.entries(failBy).map(([how, fail]) => [
      `/fail/${how}`,
      (req: IncomingMessage, res: ServerResponse) => compose([mark('a'), fail, mark('never'), end, report])(req, res, () => json(res, 599, {})),
    ]),
  ),
};

let base: string;
let close: () => void;
beforeAll(async () => {
  const server = createServer((req, res) => routes[req.url ?? '']!(req, res)).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

const get = async (path: string) => {
  const res = await fetch(base + path);
  return { status: res.status, body: await res.json() };
};

describe('compose', () => {
  it('runs the request stages in order, skipping error stages', async () => {
    expect(await get('/ok')).toEqual({ status: 200, body: { ran: ['a', 'b', 'end'] } });
  });

  it.each(Object.keys(failBy))('ends the run in the error stage when a stage fails by %s', async (how) => {
    const message = { next: 'by next', throw: 'by throw', reject: 'by rejection' }[how];
    expect(await get(`/fail/${how}`)).toEqual({ status: 500, body: { ran: ['a'], error: message } });
  });

  it("resumes the request stages after an error stage's next()", async () => {
    expect(await get('/recover')).toEqual({ status: 200, body: { ran: ['a', 'recovered', 'b', 'end'] } });
  });

  it('hands what no stage answered or handled to out', async () => {
    expect(await get('/off-the-end')).toEqual({ status: 404, body: { ran: ['a'], out: null } });
    expect(await get('/unhandled')).toEqual({ status: 502, body: { out: 'by throw' } });
  });
});
