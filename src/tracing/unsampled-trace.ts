/**
 * The trace of a request the head sampler did not sample: no span object at all, only the ids its
 * log lines carry and the traceparent (sampled flag off) the upstream receives, so the trace still
 * continues through the services behind the gateway.
 */
import type { RequestTrace, SpanAttributes, UpstreamSpan } from './tracing.js';

/** An unsampled request's ids; it is its own (inert) upstream span. */
export class UnsampledTrace implements RequestTrace, UpstreamSpan {
  readonly recording = false;

  constructor(
    readonly traceId: string,
    readonly spanId: string,
    /** The caller's tracestate, when its traceparent was valid (it travels on unchanged). */
    private readonly traceState: string | undefined,
  ) {}

  client<T>(_name: string, _attributes: SpanAttributes, call: () => Promise<T>): Promise<T> {
    return call();
  }

  upstream(): UpstreamSpan {
    return this;
  }

  inject(headers: Record<string, string | string[]>): void {
    // The upstream's parent is this request's span id, the one its log lines carry.
    headers.traceparent = `00-${this.traceId}-${this.spanId}-00`;
    if (this.traceState === undefined) delete headers.tracestate;
    else headers.tracestate = this.traceState;
  }

  answered(): void {}

  failed(): void {}
}
