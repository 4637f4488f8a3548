/**
 * The metrics stage, right after request id: it notes when the request arrived and, once the
 * response is finished, counts it by operationId, status and error_type and observes its latency.
 * Every series is resolved once, on an operation's first answer, and the finish listener is one shared function,
 * so a request costs two clock reads, a few Map lookups and some additions (docs/performance.md).
 * Requests no operation matched (404, a CORS preflight) are counted without an operation label.
 */
import type { ServerResponse } from 'node:http';
import type { Contract } from '../contract/spec.js';
import type { RequestStage } from '../pipeline/stage.js';
import { stateOf, type RequestState } from '../pipeline/state.js';
import type { CounterSeries, HistogramSeries } from './cells.js';
import type { Metrics } from './metrics.js';

/** One operation's series, each made when the operation is first answered: latency, and a counter per status and error_type. */
class OperationSeries {
  private readonly byStatus = new Map<number, Map<string, CounterSeries>>();
  private latency: HistogramSeries | undefined;

  constructor(
    private readonly metrics: Metrics,
    private readonly operation: Readonly<Record<string, string>>,
  ) {}

  finished(res: ServerResponse, state: RequestState): void {
    (this.latency ??= this.metrics.duration.series(this.operation)).observe((performance.now() - state.startedAt!) / 1000);
    const status = res.statusCode;
    const errorType = state.errorType ?? '';
    let byError = this.byStatus.get(status);
    if (byError === undefined) this.byStatus.set(status, (byError = new Map()));
    let series = byError.get(errorType);
    if (series === undefined) {
      series = this.metrics.requests.series({ ...this.operation, status: String(status), ...(errorType === '' ? {} : { error_type: errorType }) });
      byError.set(errorType, series);
    }
    series.inc();
  }
}

/** Creates the metrics stage for the contract's operations. */
export function requestMetrics(metrics: Metrics, contract: Contract): RequestStage {
  const unmatched = new OperationSeries(metrics, {});
  const byOperation = new Map(contract.operations.map((op) => [op.operationId, new OperationSeries(metrics, { operation: op.operationId })]));

  function recordFinished(this: ServerResponse) {
    const state = stateOf(this);
    const operation = state.operation;
    (operation === undefined ? unmatched : (byOperation.get(operation.operationId) ?? unmatched)).finished(this, state);
  }
  return function metricsStage(_req, res, next) {
    stateOf(res).startedAt = performance.now();
    res.on('finish', recordFinished);
    next();
  };
}
