/**
 * chain() keeps Express's contract for the stages it runs as one layer: in order, and a stage's
 * next(error), throw or rejected promise ends the run in the error handler with no later stage run.
 */
import type { AddressInfo } from 'node:net';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chain } from './chain.js';

const mark = (name: string): RequestHandler => (_req, res, next) => {
  res.locals.ran = [...(res.locals.ran ?? []), name];
  next();
};
const failBy: Record<string, RequestHandler> = {
  next: (_req, _res, next) => next(new Error('by next')),
  throw: () => {
    throw new Error('by throw');
  },
  reject: async () => {
    await Promise.resolve();
    throw new Error('by rejection');
  },
};

let base: string;
let close: () => void;
beforeAll(async () => {
  const app = express();
  app.get('/ok', chain([mark('a'), mark('b'), (_req, res) => void res.json({ ran: [...res.locals.ran, 'end'] })]));
  for (const [how, fail] of Object.entries(failBy)) app.get(`/fail/${how}`, chain([mark('a'), fail, mark('never'), (_req, res) => void res.json({ ran: res.locals.ran })]));
  const report: ErrorRequestHandler = (error, _req, res, _next) => void res.status(500).json({ ran: res.locals.ran, error: (error as Error).message });
  app.use(report);
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => server.close();
});
afterAll(() => close());

const get = async (path: string) => {
  const res = await fetch(base + path);
  return { status: res.status, body: await res.json() };
};

describe('chain', () => {
  it('runs the stages in order', async () => {
    expect(await get('/ok')).toEqual({ status: 200, body: { ran: ['a', 'b', 'end'] } });
  });

  it.each(Object.keys(failBy))('ends the run in the error handler when a stage fails by %s', async (how) => {
    const message = { next: 'by next', throw: 'by throw', reject: 'by rejection' }[how];
    expect(await get(`/fail/${how}`)).toEqual({ status: 500, body: { ran: ['a'], error: message } });
  });
});
