/**
 * A traced request's handle (RequestState.trace): the SERVER span's ids for log lines, CLIENT spans
 * for the calls made for it (database, Redis), and the CLIENT span of each upstream request, whose
 * context is what the upstream receives in traceparent.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import type { W3CTraceContextPropagator } from '@opentelemetry/core';
import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
import type { RequestTrace, SpanAttributes, UpstreamSpan } from './tracing.js';

/** Writes the W3C headers into the outgoing header record. */
const headerSetter = {
  set: (carrier: Record<string, string | string[]>, key: string, value: string) => {
    carrier[key] = value;
  },
};

/** The name an error gets in `error.type`: its code, else its class. */
const errorTypeOf = (error: unknown): string => String((error as { code?: unknown })?.code ?? (error as Error)?.name ?? 'Error');

/** One upstream request's CLIENT span. */
class UpstreamClientSpan implements UpstreamSpan {
  constructor(
    private readonly span: Span,
    private readonly propagator: W3CTraceContextPropagator,
  ) {}

  inject(headers: Record<string, string | string[]>): void {
    delete headers.traceparent;
    delete headers.tracestate;
    this.propagator.inject(trace.setSpan(ROOT_CONTEXT, this.span), headers, headerSetter);
  }

  answered(status: number): void {
    this.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    // A CLIENT span's status is ERROR for any 4xx or 5xx (the semantic conventions' rule).
    if (status >= 400) {
      this.span.setAttribute(ATTR_ERROR_TYPE, String(status));
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    }
    this.span.end();
  }

  failed(errorType: string): void {
    this.span.setAttribute(ATTR_ERROR_TYPE, errorType);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
    this.span.end();
  }
}

/** The request's SERVER span and what starts its children. */
export class RequestSpans implements RequestTrace {
  readonly traceId: string;
  readonly spanId: string;
  readonly recording: boolean;
  private parent: Context | undefined = undefined;

  constructor(
    private readonly tracer: Tracer,
    private readonly propagator: W3CTraceContextPropagator,
    private readonly server: Span,
  ) {
    const ids = server.spanContext();
    this.traceId = ids.traceId;
    this.spanId = ids.spanId;
    this.recording = server.isRecording();
  }

  /** The context children start in: the SERVER span's, made on first use. */
  private get context(): Context {
    this.parent ??= trace.setSpan(ROOT_CONTEXT, this.server);
    return this.parent;
  }

  async client<T>(name: string, attributes: SpanAttributes, call: () => Promise<T>): Promise<T> {
    if (!this.recording) return call();
    const span = this.tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, this.context);
    try {
      return await call();
    } catch (error) {
      span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  }

  upstream(method: string, origin: string, path: string, route: string): UpstreamSpan {
    const span = this.tracer.startSpan(`${method} ${route}`, { kind: SpanKind.CLIENT }, this.context);
    if (span.isRecording()) {
      const url = new URL(origin);
      span.setAttribute(ATTR_HTTP_REQUEST_METHOD, method);
      span.setAttribute(ATTR_SERVER_ADDRESS, url.hostname);
      span.setAttribute(ATTR_SERVER_PORT, Number(url.port) || (url.protocol === 'https:' ? 443 : 80));
      // The path without its query: a query may carry what a span must not.
      span.setAttribute(ATTR_URL_FULL, `${url.origin}${path}`);
    }
    return new UpstreamClientSpan(span, this.propagator);
  }
}
