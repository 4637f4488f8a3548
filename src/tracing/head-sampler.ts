/**
 * OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG as a decision made before the SDK is asked for
 * anything: an unsampled request then costs no span object at all. The decision is the
 * specification's: a parent-based sampler follows a valid incoming traceparent's sampled flag; a
 * root decision (and every decision of a sampler that is not parent-based) is the SDK's own root
 * sampler's, on the trace id (traceidratio decides on the id, so every service agrees).
 */
import { ROOT_CONTEXT, SamplingDecision, SpanKind } from '@opentelemetry/api';
import { AlwaysOffSampler, AlwaysOnSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';
import type { SamplerName } from '../config/tracing.js';

/** Whether to sample a request: `parentSampled` the incoming traceparent's flag (undefined without one), `traceId` the trace's id. */
export type HeadSampler = (parentSampled: boolean | undefined, traceId: string) => boolean;

/** The SDK sampler for a root decision of `name`. */
function rootSampler(name: SamplerName, ratio: number): Sampler {
  if (name.endsWith('always_on')) return new AlwaysOnSampler();
  if (name.endsWith('always_off')) return new AlwaysOffSampler();
  return new TraceIdRatioBasedSampler(ratio);
}

/** The decision of sampler `name` (the ratio is OTEL_TRACES_SAMPLER_ARG's, 1 when unset). */
export function headSampler(name: SamplerName, ratio: number): HeadSampler {
  const root = rootSampler(name, ratio);
  const parentBased = name.startsWith('parentbased_');
  const rootDecision = (traceId: string) => root.shouldSample(ROOT_CONTEXT, traceId, '', SpanKind.SERVER, {}, []).decision === SamplingDecision.RECORD_AND_SAMPLED;
  if (!parentBased) return (_parent, traceId) => rootDecision(traceId);
  // ParentBasedSampler's defaults: a remote parent's sampled flag decides (AlwaysOn / AlwaysOff).
  return (parentSampled, traceId) => parentSampled ?? rootDecision(traceId);
}
