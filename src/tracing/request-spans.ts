/**
 * A sampled request's handle (RequestState.trace): the SERVER span's ids for log lines, CLIENT spans
 * for the calls made for it (database, Redis), and the CLIENT span of each upstream request, whose
 * context is what the upstream receives in traceparent. Attributes known at a span's start are
 * given to startSpan in one object.
 */
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
import type { RequestTrace, SpanAttributes, UpstreamSpan } from './tracing.js';

/** The name an error gets in `error.type`: its code, else its class. */
const errorTypeOf = (error: unknown): string => String((error as { code?: unknown })?.code ?? (error as Error)?.name ?? 'Error');

/** An origin's host and port, parsed once per origin (origins are few and fixed). */
const origins = new Map<string, { readonly address: string; readonly port: number; readonly origin: string }>();

function originOf(name: string) {
  let found = origins.get(name);
  if (found === undefined) {
    const url = new URL(name);
    found = { address: url.hostname, port: Number(url.port) || (url.protocol === 'https:' ? 443 : 80), origin: url.origin };
    if (origins.size < 1000) origins.set(name, found);
  }
  return found;
}

/** One upstream request's CLIENT span. */
class UpstreamClientSpan implements UpstreamSpan {
  constructor(private readonly span: Span) {}

  inject(headers: Record<string, string | string[]>): void {
    // What W3CTraceContextPropagator.inject writes, without a context made for it.
    const { traceId, spanId, traceFlags, traceState } = this.span.spanContext();
    headers.traceparent = `00-${traceId}-${spanId}-0${(traceFlags & 0xff).toString(16)}`;
    const state = traceState?.serialize();
    if (state) headers.tracestate = state;
    else delete headers.tracestate;
  }

  answered(status: number): void {
    // A CLIENT span's status is ERROR for any 4xx or 5xx (the semantic conventions' rule).
    if (status >= 400) {
      this.span.setAttributes({ [ATTR_HTTP_RESPONSE_STATUS_CODE]: status, [ATTR_ERROR_TYPE]: String(status) });
      this.span.setStatus({ code: SpanStatusCode.ERROR });
    } else this.span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
    this.span.end();
  }

  failed(errorType: string): void {
    this.span.setAttribute(ATTR_ERROR_TYPE, errorType);
    this.span.setStatus({ code: SpanStatusCode.ERROR, message: errorType });
    this.span.end();
  }
}

/** The sampled request's SERVER span and what starts its children. */
export class RequestSpans implements RequestTrace {
  readonly traceId: string;
  readonly spanId: string;
  readonly recording = true;
  private parent: Context | undefined = undefined;

  constructor(
    private readonly tracer: Tracer,
    private readonly server: Span,
  ) {
    const ids = server.spanContext();
    this.traceId = ids.traceId;
    this.spanId = ids.spanId;
  }

  /** The context children start in: the SERVER span's, made on first use. */
  private get context(): Context {
    this.parent ??= trace.setSpan(ROOT_CONTEXT, this.server);
    return this.parent;
  }

  async client<T>(name: string, attributes: SpanAttributes, call: () => Promise<T>): Promise<T> {
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
    const { address, port, origin: base } = originOf(origin);
    const attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_SERVER_ADDRESS]: address,
      [ATTR_SERVER_PORT]: port,
      // The path without its query: a query may carry what a span must not.
      [ATTR_URL_FULL]: `${base}${path}`,
    };
    return new UpstreamClientSpan(this.tracer.startSpan(`${method} ${route}`, { kind: SpanKind.CLIENT, attributes }, this.context));
  }
}
