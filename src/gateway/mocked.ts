/**
 * Mock-before-backend: an operation marked `x-specgate-mock: true` is answered by the mock inside
 * the gateway's pipeline (src/mock/), so a frontend can use an endpoint before the backend ships
 * it and meets the same CORS, authentication, validation and errors it will meet later. Such an
 * operation is never sent upstream, whatever `x-specgate-upstream` or UPSTREAM_URL say.
 */
import type { Contract } from '../contract/spec.js';
import type { Logger } from '../logger.js';
import { mockStage } from '../mock/server.js';
import type { LastStageFactory } from '../pipeline/last-stage.js';

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
