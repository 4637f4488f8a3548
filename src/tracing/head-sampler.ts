/**
 * OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG as a decision made before the SDK is asked for
 * anything: an unsampled request then costs no span object at all. The decision is the
 * specification's: a parent-based sampler follows a valid incoming traceparent's sampled flag;
 * every other decision is the root sampler's, on the trace id. For a trace id the stage drew
 * (src/tracing/trace-ids.ts) the ratio test runs on the id's key, exactly as
 * TraceIdRatioBasedSampler computes it from the hex (head-sampler.test.ts holds them equal), so
 * services sampling the same trace id agree; for a caller's trace id the SDK's sampler decides.
 */
import { ROOT_CONTEXT, SamplingDecision, SpanKind } from '@opentelemetry/api';
import { AlwaysOffSampler, AlwaysOnSampler, TraceIdRatioBasedSampler, type Sampler } from '@opentelemetry/sdk-trace';
import type { SamplerName } from '../config/tracing.js';

/** The head decision of one configured sampler. */
export interface HeadSampler {
  /** Whether a new trace is sampled, `key` its id's key (traceIdKey()). */
  root(key: number): boolean;
  /** Whether a request continuing the caller's trace `traceId` is sampled; `parentSampled` its traceparent's flag. */
  continued(traceId: string, parentSampled: boolean): boolean;
}

/** The decision of sampler `name` (the ratio is OTEL_TRACES_SAMPLER_ARG's, 1 when unset). */
export function headSampler(name: SamplerName, ratio: number): HeadSampler {
  const always = name.endsWith('always_on') ? true : name.endsWith('always_off') ? false : undefined;
  const sdk: Sampler = always === true ? new AlwaysOnSampler() : always === false ? new AlwaysOffSampler() : new TraceIdRatioBasedSampler(ratio);
  // TraceIdRatioBasedSampler's bound, for the ratio as config/tracing.ts checked it (0 to 1).
  const bound = ratio >= 1 ? 0x100000000 : Math.floor(Math.max(ratio, 0) * 0xffffffff);
  const root = always === undefined ? (key: number) => key < bound : () => always;
  // ParentBasedSampler's defaults: a remote parent's sampled flag decides (AlwaysOn / AlwaysOff).
  if (name.startsWith('parentbased_')) return { root, continued: (_traceId, parentSampled) => parentSampled };
  const decide = (traceId: string) => sdk.shouldSample(ROOT_CONTEXT, traceId, '', SpanKind.SERVER, {}, []).decision === SamplingDecision.RECORD_AND_SAMPLED;
  return { root, continued: (traceId) => decide(traceId) };
}
