/**
 * A small real OTLP/HTTP traces receiver for the tracing tests: POST /v1/traces in protobuf
 * (decoded with the OpenTelemetry protocol's generated root that @opentelemetry/otlp-transformer
 * 0.215 ships, installed as `otlp-transformer-generated`) or in JSON, each span flattened with its
 * resource, and which content types arrived.
 */
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const require = createRequire(import.meta.url);
/** The generated protobuf classes of opentelemetry-proto (protobufjs static code). */
const root = require('otlp-transformer-generated/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: ProtoMessage } } } } };
};
interface ProtoMessage {
  decode(bytes: Uint8Array): unknown;
  toObject(message: unknown, options: Record<string, unknown>): OtlpRequest;
}

/** An attribute value as OTLP carries it (either encoding). */
interface AnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
}
interface KeyValue {
  key: string;
  value?: AnyValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: KeyValue[];
  events?: { name: string }[];
  status?: { code?: number; message?: string };
}
interface OtlpRequest {
  resourceSpans?: { resource?: { attributes?: KeyValue[] }; scopeSpans?: { spans?: OtlpSpan[] }[] }[];
}

/** OTLP's span kinds. */
export const SPAN_KIND = { INTERNAL: 1, SERVER: 2, CLIENT: 3 } as const;
/** OTLP's status codes. */
export const STATUS_CODE = { UNSET: 0, OK: 1, ERROR: 2 } as const;

/** One received span, its ids in hex. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  /** The parent's id, or '' for a root span. */
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly status: { readonly code: number; readonly message: string };
  readonly resource: Readonly<Record<string, string | number | boolean>>;
  /** The Content-Type of the export that carried it. */
  readonly contentType: string;
}

/** A running receiver. */
export interface OtlpReceiver {
  /** The base URL, for OTEL_EXPORTER_OTLP_ENDPOINT (the SDK appends /v1/traces). */
  readonly url: string;
  readonly spans: ReceivedSpan[];
  /** Resolves with the spans once `done` accepts what has arrived; rejects after `timeoutMs`. */
  waitFor(done: (spans: readonly ReceivedSpan[]) => boolean, timeoutMs?: number): Promise<ReceivedSpan[]>;
  close(): Promise<void>;
}

/** A protobuf `bytes` id (a Buffer after decoding) or a JSON one (hex, or base64 in older exporters) in hex. */
function hexId(id: unknown): string {
  if (id === undefined || id === null || id === '') return '';
  if (id instanceof Uint8Array) return Buffer.from(id).toString('hex');
  const text = String(id);
  return /^[0-9a-f]+$/i.test(text) && (text.length === 32 || text.length === 16) ? text.toLowerCase() : Buffer.from(text, 'base64').toString('hex');
}

function attributesOf(list: KeyValue[] | undefined): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const { key, value } of list ?? []) {
    if (value?.stringValue !== undefined) out[key] = value.stringValue;
    else if (value?.boolValue !== undefined) out[key] = value.boolValue;
    else if (value?.intValue !== undefined) out[key] = Number(value.intValue);
    else if (value?.doubleValue !== undefined) out[key] = value.doubleValue;
  }
  return out;
}

/** The spans of one export request. */
function flatten(request: OtlpRequest, contentType: string): ReceivedSpan[] {
  const spans: ReceivedSpan[] = [];
  for (const resourceSpans of request.resourceSpans ?? []) {
    const resource = attributesOf(resourceSpans.resource?.attributes);
    for (const scope of resourceSpans.scopeSpans ?? []) {
      for (const span of scope.spans ?? []) {
        spans.push({
          traceId: hexId(span.traceId),
          spanId: hexId(span.spanId),
          parentSpanId: hexId(span.parentSpanId),
          name: span.name,
          kind: Number(span.kind),
          attributes: attributesOf(span.attributes),
          status: { code: Number(span.status?.code ?? 0), message: span.status?.message ?? '' },
          resource,
          contentType,
        });
      }
    }
  }
  return spans;
}

/** Decodes an export request by its Content-Type. */
function decode(body: Buffer, contentType: string): OtlpRequest {
  if (contentType.startsWith('application/json')) return JSON.parse(body.toString('utf8')) as OtlpRequest;
  const type = root.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
  return type.toObject(type.decode(body), { longs: Number, enums: Number, defaults: false });
}

/** Starts a receiver on 127.0.0.1 and an ephemeral port. */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const spans: ReceivedSpan[] = [];
  const listeners = new Set<() => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const contentType = req.headers['content-type'] ?? '';
      if (req.method !== 'POST' || req.url !== '/v1/traces') {
        res.writeHead(404).end();
        return;
      }
      try {
        spans.push(...flatten(decode(Buffer.concat(chunks), contentType), contentType));
      } catch (error) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end(String(error));
        return;
      }
      // An empty ExportTraceServiceResponse, in the request's encoding.
      if (contentType.startsWith('application/json')) res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      else res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
      for (const listener of listeners) listener();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans,
    waitFor(done, timeoutMs = 15_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (!done(spans)) return false;
          listeners.delete(check);
          clearTimeout(timer);
          resolve([...spans]);
          return true;
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`the spans expected did not arrive within ${timeoutMs} ms; received:\n${spans.map((s) => `${s.name} ${s.traceId}/${s.spanId}<-${s.parentSpanId}`).join('\n')}`));
        }, timeoutMs);
        if (!check()) listeners.add(check);
      });
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
