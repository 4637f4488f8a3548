/**
 * `npx tsx bench/tracing-span-cost.ts`: what one exported span costs in the OpenTelemetry SDK
 * itself, apart from any server: starting and ending a SERVER span with the attributes specgate's
 * tracing stage sets (src/tracing/server-span.ts), and serializing it for export with the OTLP
 * exporters' own serializers, protobuf and JSON (batches of 512, the OTEL_BSP default). Runs 30
 * rounds of 20 480 spans on one CPU and prints the median and the best round, in µs per span: the
 * floor under what "every span exported" can cost per request (docs/performance.md, "Tracing").
 */
import { ROOT_CONTEXT, SpanKind } from '@opentelemetry/api';
import { JsonTraceSerializer, ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, TracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace';
import { pinSelf } from './contenders.js';
import { median } from './load.js';

pinSelf();
const ended: ReadableSpan[] = [];
const keep: SpanProcessor = { onStart() {}, onEnd: (span) => void ended.push(span), shutdown: async () => {}, forceFlush: async () => {} };
const provider = new TracerProvider({ resource: defaultResource().merge(resourceFromAttributes({ 'service.name': 'specgate' })), sampler: new AlwaysOnSampler(), spanProcessors: [keep] });
const tracer = provider.getTracer('specgate');

/** One request's SERVER span, as the tracing stage makes it. */
function serverSpan(): void {
  const span = tracer.startSpan('GET', { kind: SpanKind.SERVER }, ROOT_CONTEXT);
  span.updateName('GET /api/tasks/{taskId}');
  span.setAttributes({
    'http.request.method': 'GET',
    'url.scheme': 'http',
    'url.path': '/api/tasks/3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01',
    'server.address': '127.0.0.1',
    'server.port': 43211,
    'client.address': '127.0.0.1',
    'http.response.status_code': 200,
    'http.route': '/api/tasks/{taskId}',
    'specgate.operation_id': 'getTask',
  });
  span.end();
}

const N = 20_480;
const BATCH = 512;
const rounds: { create: number; protobuf: number; json: number; protobufBytes: number; jsonBytes: number }[] = [];
const perSpan = (from: bigint) => Number(process.hrtime.bigint() - from) / N / 1000;
for (let round = 0; round < 30; round++) {
  ended.length = 0;
  let t = process.hrtime.bigint();
  for (let i = 0; i < N; i++) serverSpan();
  const create = perSpan(t);
  let protobufBytes = 0;
  t = process.hrtime.bigint();
  for (let i = 0; i < N; i += BATCH) protobufBytes += ProtobufTraceSerializer.serializeRequest(ended.slice(i, i + BATCH))!.length;
  const protobuf = perSpan(t);
  let jsonBytes = 0;
  t = process.hrtime.bigint();
  for (let i = 0; i < N; i += BATCH) jsonBytes += JsonTraceSerializer.serializeRequest(ended.slice(i, i + BATCH))!.length;
  rounds.push({ create, protobuf, json: perSpan(t), protobufBytes: protobufBytes / N, jsonBytes: jsonBytes / N });
}
const row = (label: string, key: 'create' | 'protobuf' | 'json', bytes = '') =>
  `| ${label} | ${median(rounds.map((r) => r[key])).toFixed(2)} | ${Math.min(...rounds.map((r) => r[key])).toFixed(2)} | ${bytes} |`;
process.stdout.write(
  [
    `| per span (Node ${process.version}) | median µs | best µs | bytes a span |`,
    '|---|---|---|---|',
    row('start + attributes + end (SDK)', 'create'),
    row('serialize, OTLP/protobuf', 'protobuf', rounds[0]!.protobufBytes.toFixed(0)),
    row('serialize, OTLP/JSON', 'json', rounds[0]!.jsonBytes.toFixed(0)),
  ].join('\n') + '\n',
);
