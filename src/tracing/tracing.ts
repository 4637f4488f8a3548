/**
 * What the rest of specgate knows of tracing: plain interfaces, no OpenTelemetry import, so a
 * process with tracing off never loads the SDK (src/tracing/start.ts is imported only when
 * OTEL_EXPORTER_OTLP_ENDPOINT or its kin is set, by serve()). docs/observability.md lists every span.
 */
import type { RequestStage } from '../pipeline/stage.js';

/** Span attribute values as OpenTelemetry takes them. */
export type SpanAttributes = Readonly<Record<string, string | number | boolean>>;

/** A process's tracing: the SERVER-span stage and the flush at shutdown. */
export interface Tracing {
  /** The tracing stage, right after request-id: one SERVER span per request, continuing an incoming traceparent. */
  readonly stage: RequestStage;
  /** Exports what is pending within `ms` milliseconds, then stops (SIGTERM). */
  shutdown(ms: number): Promise<void>;
}

/**
 * What a traced request's state holds (RequestState.trace): a sampled request's SERVER span
 * (src/tracing/request-spans.ts), or an unsampled request's ids alone (src/tracing/unsampled-trace.ts).
 */
export interface RequestTrace {
  /** The trace id, 32 hex digits, for log lines. */
  readonly traceId: string;
  /** The SERVER span's id, 16 hex digits, for log lines (unsampled: the id the upstream is given as its parent). */
  readonly spanId: string;
  /** Whether the request is sampled: its spans are recorded and exported (else its children need not be made). */
  readonly recording: boolean;
  /**
   * Runs `call` inside a CLIENT span named `name`, a child of the SERVER span (a database
   * statement, a Redis script). Parents are passed explicitly, never looked up in an async
   * context: Node 20's AsyncLocalStorage costs every promise of the process (docs/performance.md).
   */
  client<T>(name: string, attributes: SpanAttributes, call: () => Promise<T>): Promise<T>;
  /** Starts the CLIENT span of one upstream request. */
  upstream(method: string, origin: string, path: string, route: string): UpstreamSpan;
}

/** One upstream request's CLIENT span. */
export interface UpstreamSpan {
  /** Sets `traceparent` (and `tracestate`) in the outgoing headers to this span's context. */
  inject(headers: Record<string, string | string[]>): void;
  /** The upstream answered with `status`. */
  answered(status: number): void;
  /** The request failed with an error_type (bad_gateway, gateway_timeout) or was abandoned. */
  failed(errorType: string): void;
}
