/**
 * Tracing as an operator runs it: the gateway entry point (`npm run gateway`) with OTEL_* pointing
 * at a real OTLP/HTTP receiver, in front of a real upstream, over both protocols. A request yields
 * a SERVER and a CLIENT span in the caller's trace, the upstream is told the CLIENT span's id, a
 * 401 carries its error_type, the access log line carries the ids, SIGTERM exports what is pending,
 * and with OTEL_* unset nothing is exported and the upstream's traceparent is today's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { documentFile, startEntry, type EntryProcess } from '../testing/entry-process.js';
import { gatewaySpec } from '../testing/gateway-spec.js';
import { SPAN_KIND, STATUS_CODE, startOtlpReceiver, type OtlpReceiver, type ReceivedSpan } from '../testing/otlp-receiver.js';
import { mintToken } from '../testing/tokens.js';
import { startTestUpstream, type TestUpstream } from '../testing/upstream.js';

const CALLER_SPAN = '00f067aa0ba902b7';

let upstream: TestUpstream;
let receiver: OtlpReceiver;

beforeAll(async () => {
  upstream = await startTestUpstream();
  receiver = await startOtlpReceiver();
});

afterAll(async () => {
  await upstream?.close();
  await receiver?.close();
});

/** The gateway in front of the test upstream, with `env` on top. */
const gateway = (env: Record<string, string>) => startEntry('src/gateway/cli.ts', [documentFile(gatewaySpec(upstream.url))], { UPSTREAM_URL: upstream.url, ...env });

const inTrace = (trace: string, kind: number) => (spans: readonly ReceivedSpan[]) => spans.find((s) => s.traceId === trace && s.kind === kind);

describe.each([
  ['http/protobuf', 'application/x-protobuf', '4bf92f3577b34da6a3ce929d0e0e4736'],
  ['http/json', 'application/json', '4bf92f3577b34da6a3ce929d0e0e4737'],
])('OTEL_EXPORTER_OTLP_PROTOCOL=%s', (protocol, contentType, CALLER_TRACE) => {
  const CALLER_TRACEPARENT = `00-${CALLER_TRACE}-${CALLER_SPAN}-01`;
  let app: EntryProcess;
  const service = `gateway-${protocol.replace('/', '-')}`;

  beforeAll(async () => {
    app = await gateway({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: protocol, OTEL_SERVICE_NAME: service, OTEL_BSP_SCHEDULE_DELAY: '100' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it("exports a SERVER span continuing the caller's traceparent and a CLIENT span the upstream is told of", async () => {
    const token = await mintToken('user-7');
    const response = await fetch(`${app.url}/items/abc`, { headers: { authorization: `Bearer ${token}`, traceparent: CALLER_TRACEPARENT, tracestate: 'vendor=opaque', 'user-agent': 'tracing-test/1' } });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    const spans = await receiver.waitFor((all) => inTrace(CALLER_TRACE, SPAN_KIND.SERVER)(all) !== undefined && inTrace(CALLER_TRACE, SPAN_KIND.CLIENT)(all) !== undefined);
    const server = inTrace(CALLER_TRACE, SPAN_KIND.SERVER)(spans)!;
    const client = inTrace(CALLER_TRACE, SPAN_KIND.CLIENT)(spans)!;

    expect(server).toMatchObject({ name: 'GET /items/{id}', parentSpanId: CALLER_SPAN, contentType, status: { code: STATUS_CODE.UNSET } });
    expect(server.resource['service.name']).toBe(service);
    expect(server.attributes).toMatchObject({
      'http.request.method': 'GET',
      'http.route': '/items/{id}',
      'http.response.status_code': 200,
      'url.scheme': 'http',
      'url.path': '/items/abc',
      'server.address': '127.0.0.1',
      'client.address': '127.0.0.1',
      'user_agent.original': 'tracing-test/1',
      'specgate.operation_id': 'getItem',
    });
    expect(client).toMatchObject({ name: 'GET /items/{id}', parentSpanId: server.spanId, contentType });
    expect(client.attributes).toMatchObject({ 'http.request.method': 'GET', 'http.response.status_code': 200, 'server.address': '127.0.0.1', 'url.full': `${upstream.url}/items/abc` });

    // The upstream's traceparent names the CLIENT span; the caller's tracestate travels on.
    const received = upstream.received.find((r) => r.headers['x-request-id'] === requestId)!;
    expect(received.headers.traceparent).toBe(`00-${CALLER_TRACE}-${client.spanId}-01`);
    expect(received.headers.tracestate).toBe('vendor=opaque');

    // No token, no user id in any attribute (OTEL_SPECGATE_CAPTURE_USER is unset).
    const values = [server, client].flatMap((s) => Object.values(s.attributes)).map(String);
    expect(values.filter((v) => v.includes(token) || v === 'user-7')).toEqual([]);

    const access = await app.line((l) => l.msg === 'request' && l.request_id === requestId);
    expect(access).toMatchObject({ trace_id: CALLER_TRACE, span_id: server.spanId, status: 200 });
  });

  it('puts error.type on the SERVER span of a 401, and starts a trace for a caller that sent none', async () => {
    const response = await fetch(`${app.url}/items/abc`);
    expect(response.status).toBe(401);
    const requestId = response.headers.get('x-request-id');
    const access = await app.line((l) => l.msg === 'request' && l.request_id === requestId);
    expect(access.trace_id).toMatch(/^[0-9a-f]{32}$/);
    const spans = await receiver.waitFor((all) => inTrace(access.trace_id, SPAN_KIND.SERVER)(all) !== undefined);
    const server = inTrace(access.trace_id, SPAN_KIND.SERVER)(spans)!;
    expect(server).toMatchObject({ name: 'GET /items/{id}', parentSpanId: '', spanId: access.span_id });
    expect(server.attributes).toMatchObject({ 'http.response.status_code': 401, 'error.type': 'authentication_error', 'specgate.operation_id': 'getItem' });
    // Refused before the last stage: nothing went upstream, so no CLIENT span.
    expect(spans.filter((s) => s.traceId === access.trace_id && s.kind === SPAN_KIND.CLIENT)).toEqual([]);
  });
});

describe('OTEL_TRACES_SAMPLER_ARG=0 (parent-based: only a sampled caller is traced)', () => {
  let app: EntryProcess;

  beforeAll(async () => {
    app = await gateway({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_TRACES_SAMPLER_ARG: '0', OTEL_BSP_SCHEDULE_DELAY: '100' });
  });
  afterAll(async () => {
    await app?.stop();
  });

  /** GET /cases/ok with `headers`; what the upstream received and the access line. */
  const call = async (headers: Record<string, string>) => {
    const response = await fetch(`${app.url}/cases/ok`, { headers });
    expect(response.status).toBe(200);
    const requestId = response.headers.get('x-request-id');
    const access = await app.line((l) => l.msg === 'request' && l.request_id === requestId);
    return { upstream: upstream.received.find((r) => r.headers['x-request-id'] === requestId)!.headers, access };
  };

  it('exports nothing for an unsampled request, yet its ids reach the log line and the upstream with the sampled flag off', async () => {
    const fresh = await call({});
    expect(fresh.access.trace_id).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.access.span_id).toMatch(/^[0-9a-f]{16}$/);
    expect(fresh.upstream.traceparent).toBe(`00-${fresh.access.trace_id}-${fresh.access.span_id}-00`);

    const trace = 'cccccccccccccccccccccccccccc0003';
    const continued = await call({ traceparent: `00-${trace}-${CALLER_SPAN}-00`, tracestate: 'vendor=opaque' });
    expect(continued.access.trace_id).toBe(trace);
    expect(continued.access.span_id).not.toBe(CALLER_SPAN);
    expect(continued.upstream.traceparent).toBe(`00-${trace}-${continued.access.span_id}-00`);
    expect(continued.upstream.tracestate).toBe('vendor=opaque');

    // A sampled caller is followed: its spans arrive, and prove the unsampled ones would have by now.
    const sampled = 'cccccccccccccccccccccccccccc0004';
    await call({ traceparent: `00-${sampled}-${CALLER_SPAN}-01` });
    const spans = await receiver.waitFor((all) => inTrace(sampled, SPAN_KIND.CLIENT)(all) !== undefined);
    expect(inTrace(sampled, SPAN_KIND.SERVER)(spans)).toMatchObject({ name: 'GET /cases/{case}', parentSpanId: CALLER_SPAN });
    expect(spans.filter((s) => s.traceId === fresh.access.trace_id || s.traceId === trace)).toEqual([]);
  });
});

describe('shutdown', () => {
  it('exports the spans still pending when SIGTERM arrives, then exits 0', async () => {
    const app = await gateway({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '600000' });
    const trace = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaa0001';
    const response = await fetch(`${app.url}/cases/ok`, { headers: { traceparent: `00-${trace}-${CALLER_SPAN}-01` } });
    expect(response.status).toBe(200);
    expect(receiver.spans.filter((s) => s.traceId === trace)).toEqual([]);
    expect(await app.stop('SIGTERM')).toBe(0);
    const spans = await receiver.waitFor((all) => inTrace(trace, SPAN_KIND.SERVER)(all) !== undefined, 2000);
    expect(inTrace(trace, SPAN_KIND.SERVER)(spans)).toMatchObject({ name: 'GET /cases/{case}', parentSpanId: CALLER_SPAN });
  });
});

describe('with OTEL_* unset', () => {
  it("exports nothing and forwards the caller's traceparent unchanged", async () => {
    const app = await gateway({});
    try {
      const before = receiver.spans.length;
      const trace = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbb0002';
      const response = await fetch(`${app.url}/cases/ok`, { headers: { traceparent: `00-${trace}-${CALLER_SPAN}-01` } });
      expect(response.status).toBe(200);
      const requestId = response.headers.get('x-request-id');
      expect(upstream.received.find((r) => r.headers['x-request-id'] === requestId)!.headers.traceparent).toBe(`00-${trace}-${CALLER_SPAN}-01`);
      const access = await app.line((l) => l.msg === 'request' && l.request_id === requestId);
      expect(access.trace_id).toBeUndefined();
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(receiver.spans.length).toBe(before);
    } finally {
      await app.stop();
    }
  });
});
