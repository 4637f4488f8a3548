/**
 * The head sampler decides as the SDK's samplers would: a new trace's ratio decision, made on the
 * key of the id the stage drew, is TraceIdRatioBasedSampler's on that id's hex (so every service
 * sampling the same trace id at the same ratio agrees), and a parent-based sampler follows the
 * caller's flag.
 */
import { ROOT_CONTEXT, SamplingDecision } from '@opentelemetry/api';
import { TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import { describe, expect, it } from 'vitest';
import { headSampler } from './head-sampler.js';
import { newTraceId, traceIdKey } from './trace-ids.js';

const sdkSamples = (ratio: number, traceId: string) =>
  new TraceIdRatioBasedSampler(ratio).shouldSample(ROOT_CONTEXT, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED;

describe.each([0, 0.01, 0.1, 0.5, 0.999, 1])('ratio %s', (ratio) => {
  it("decides a new trace as the SDK's TraceIdRatioBasedSampler does on its id", () => {
    const sampler = headSampler('parentbased_traceidratio', ratio);
    const ids = Array.from({ length: 5000 }, () => {
      const id = newTraceId();
      return { id, ours: sampler.root(traceIdKey()) };
    });
    expect(ids.filter(({ id, ours }) => ours !== sdkSamples(ratio, id))).toEqual([]);
    const share = ids.filter((d) => d.ours).length / ids.length;
    expect(Math.abs(share - ratio)).toBeLessThan(0.03);
  });

  it("follows the caller's sampled flag when parent-based, and decides on the caller's id when not", () => {
    const id = newTraceId();
    expect(headSampler('parentbased_traceidratio', ratio).continued(id, true)).toBe(true);
    expect(headSampler('parentbased_traceidratio', ratio).continued(id, false)).toBe(false);
    expect(headSampler('traceidratio', ratio).continued(id, false)).toBe(sdkSamples(ratio, id));
  });
});

it('always_on and always_off ignore the ratio, parent-based ones follow the caller', () => {
  expect(headSampler('always_on', 0).root(0)).toBe(true);
  expect(headSampler('always_off', 1).root(0)).toBe(false);
  expect(headSampler('always_off', 1).continued(newTraceId(), true)).toBe(false);
  expect(headSampler('parentbased_always_off', 1).continued(newTraceId(), true)).toBe(true);
  expect(headSampler('parentbased_always_on', 1).root(123)).toBe(true);
});
