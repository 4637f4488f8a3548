/**
 * Mock-before-backend: an operation marked `x-specgate-mock: true` is answered by the mock inside
 * the gateway's pipeline (src/mock/), so a frontend can use an endpoint before the backend ships
 * it and meets the same CORS, authentication, validation and errors it will meet later. Such an
 * operation is never sent upstream, whatever `x-specgate-upstream` or UPSTREAM_URL say. With
 * `--mock-missing`, an operation the upstream answers 404 or 501 is answered by the mock too.
 */
import type { Contract } from '../contract/spec.js';
import type { Logger } from '../logger.js';
import { mockStage } from '../mock/server.js';
import type { LastStageFactory } from '../pipeline/last-stage.js';
import { UpstreamMissing } from './upstream-missing.js';

/** The operation extension that has the mock answer it inside the gateway. */
export const MOCK_EXTENSION = 'x-specgate-mock';

/** The operationIds the document marks `x-specgate-mock: true`. */
export function mockedOperations(contract: Contract): Set<string> {
  return new Set(contract.operations.filter((op) => contract.document.paths[op.path]?.[op.method]?.[MOCK_EXTENSION] === true).map((op) => op.operationId));
}

/** A last stage answering `ids` from the mock; it answers nothing when `ids` is empty. */
export function mockedStage(ids: ReadonlySet<string>, log: Logger): LastStageFactory {
  return (compiled) => {
    if (ids.size === 0) return { name: 'mock', answers: new Set(), stage: (_req, _res, next) => next() };
    return { ...mockStage(log)(compiled), answers: new Set(ids) };
  };
}

/** The upstream stage with the mock behind it: what the upstream answers 404 or 501 (`--mock-missing`) is answered by the mock. */
export function withMockFallback(upstream: LastStageFactory, log: Logger): LastStageFactory {
  return (compiled) => {
    const forward = upstream(compiled);
    if (forward.answers.size === 0) return forward;
    const mock = mockStage(log)(compiled);
    return {
      ...forward,
      name: 'upstream (mock when missing)',
      stage: function upstreamOrMockStage(req, res, next) {
        // The forwarder fails by rejecting (or next(error)); only UpstreamMissing turns to the mock.
        const fallback = (error?: unknown): unknown => (error instanceof UpstreamMissing ? mock.stage(req, res, next) : next(error));
        let returned: unknown;
        try {
          returned = forward.stage(req, res, fallback);
        } catch (error) {
          return fallback(error);
        }
        return returned instanceof Promise ? returned.then(undefined, fallback) : returned;
      },
    };
  };
}
