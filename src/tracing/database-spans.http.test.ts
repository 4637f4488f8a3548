/**
 * The Tasks API with tracing on (as serve() starts it, in this process) against a real OTLP
 * receiver: a sampled request's database statements are CLIENT spans of its SERVER span, named by
 * statement kind and table, with no value of the statement in any attribute.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../config/index.js';
import { createLogger } from '../logger.js';
import { SPAN_KIND, startOtlpReceiver, type OtlpReceiver } from '../testing/otlp-receiver.js';
import { startTestServer, type TestServer } from '../testing/server.js';
import { mintToken } from '../testing/tokens.js';
import { setProcessTracing } from './process-tracing.js';
import { startTracing } from './start.js';
import type { Tracing } from './tracing.js';

let receiver: OtlpReceiver;
let tracing: Tracing;
let server: TestServer;

beforeAll(async () => {
  receiver = await startOtlpReceiver();
  const { tracing: config } = loadConfig({ NODE_ENV: 'test', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '50' });
  tracing = await startTracing(config, createLogger('silent'));
  setProcessTracing(tracing);
  server = await startTestServer();
}, 180_000);

afterAll(async () => {
  await server?.close();
  setProcessTracing(undefined);
  await tracing?.shutdown(2000);
  await receiver?.close();
});

it('makes each statement of a request a CLIENT span of its SERVER span, named by kind and table, without values', async () => {
  const title = 'Secret plans for Tuesday';
  const trace = 'cccccccccccccccccccccccccccc0003';
  const response = await server.request('/api/tasks', {
    method: 'POST',
    token: await mintToken('db-span-user'),
    headers: { 'content-type': 'application/json', traceparent: `00-${trace}-00f067aa0ba902b7-01` },
    body: JSON.stringify({ title }),
  });
  expect(response.status).toBe(201);
  const spans = await receiver.waitFor((all) => all.some((s) => s.traceId === trace && s.kind === SPAN_KIND.SERVER));
  const mine = spans.filter((s) => s.traceId === trace);
  const serverSpan = mine.find((s) => s.kind === SPAN_KIND.SERVER)!;
  expect(serverSpan.name).toBe('POST /api/tasks');
  const insert = mine.find((s) => s.name === 'INSERT tasks');
  expect(insert).toMatchObject({ kind: SPAN_KIND.CLIENT, parentSpanId: serverSpan.spanId });
  expect(insert!.attributes).toEqual({ 'db.system.name': 'postgresql', 'db.operation.name': 'INSERT', 'db.collection.name': 'tasks', 'db.query.summary': 'INSERT tasks' });
  const values = mine.flatMap((s) => Object.values(s.attributes)).map(String);
  expect(values.filter((v) => v.includes(title) || v.includes('db-span-user'))).toEqual([]);
});
