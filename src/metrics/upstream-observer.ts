/** Gateway mode's metrics: the forwarder reports each upstream answer and failure here (src/gateway/forward.ts). */
import type { UpstreamObserver } from '../gateway/forward.js';
import type { HistogramSeries } from './cells.js';
import type { Metrics } from './metrics.js';

/** An observer recording upstream latency and failures by origin into `metrics`. */
export function upstreamObserver(metrics: Metrics): UpstreamObserver {
  const latency = new Map<string, HistogramSeries>();
  return {
    answered(origin, seconds) {
      let series = latency.get(origin);
      if (series === undefined) latency.set(origin, (series = metrics.upstreamDuration.series({ upstream: origin })));
      series.observe(seconds);
    },
    // Failures are rare: the series is looked up by its labels each time.
    failed(origin, kind) {
      metrics.upstreamFailures.series({ upstream: origin, kind }).inc();
      if (kind === 'circuit_open') metrics.upstreamShed.series({ upstream: origin }).inc();
    },
    violated(operationId) {
      metrics.contractViolations.series({ operation: operationId }).inc();
    },
  };
}
