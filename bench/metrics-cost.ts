/**
 * The metrics stage in isolation: the stage and its finish listener run on real node:http
 * ServerResponse objects for a million simulated getTask requests, against the same loop without
 * the stage; the difference is what the metrics add per request, in nanoseconds of this process's
 * CPU. Much finer than a load test can resolve on a shared machine. Run compiled, as a script
 * (bench/scale-out.ts runs it); prints `{"withStage": ns, "without": ns}`.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { loadContract } from '../src/contract/spec.js';
import { createMetrics } from '../src/metrics/metrics.js';
import { requestMetrics } from '../src/metrics/request-stage.js';
import { attachState, type RequestState } from '../src/pipeline/state.js';

const REQUESTS = 1_000_000;

/** CPU nanoseconds per simulated request: with the metrics stage, and the same loop without it. */
function metricsStageNs(): { withStage: number; without: number } {
  const contract = loadContract();
  const operation = contract.operations.find((op) => op.operationId === 'getTask')!;
  const stage = requestMetrics(createMetrics(), contract);
  const req = new IncomingMessage(new Socket());
  const run = (withStage: boolean) => {
    const started = process.cpuUsage();
    for (let i = 0; i < REQUESTS; i++) {
      const res = new ServerResponse(req);
      attachState(res, { operation, startedAt: 0, errorType: undefined } as unknown as RequestState);
      if (withStage) stage(req, res, () => {});
      res.statusCode = 200;
      res.emit('finish');
    }
    const used = process.cpuUsage(started);
    return ((used.user + used.system) * 1000) / REQUESTS;
  };
  run(true);
  run(false);
  return { withStage: run(true), without: run(false) };
}

process.stdout.write(`${JSON.stringify(metricsStageNs())}\n`);
