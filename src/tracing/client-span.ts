/**
 * CLIENT spans around calls to other systems (a database statement, a Redis script), children of
 * the request span active in the current async context; none outside a sampled request.
 */
import { context, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE } from '@opentelemetry/semantic-conventions';
import type { SpanAttributes } from './tracing.js';

/** The name an error gets in `error.type`: its code, else its class. */
const errorTypeOf = (error: unknown): string =>
  String((error as { code?: unknown })?.code ?? (error as Error)?.name ?? 'Error');

/** Makes the `client` function of a Tracing over `tracer`. */
export function clientSpans(tracer: Tracer) {
  return async function client<T>(name: string, attributes: SpanAttributes, call: () => Promise<T>): Promise<T> {
    const active = context.active();
    if (trace.getSpan(active)?.isRecording() !== true) return call();
    const span = tracer.startSpan(name, { kind: SpanKind.CLIENT, attributes }, active);
    try {
      return await context.with(trace.setSpan(active, span), call);
    } catch (error) {
      span.setAttribute(ATTR_ERROR_TYPE, errorTypeOf(error));
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  };
}
