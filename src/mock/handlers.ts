/**
 * The mock's handlers, one per operationId: each answers its operation's mock
 * (src/mock/responses.ts) for the request's `Prefer` scenario. The default answer and each
 * `code=`/`example=` answer are made once and reused; `dynamic=true` makes a new one per request,
 * seeded by how many dynamic requests the operation has had (not Math.random), so a run of
 * requests gives the same sequence every time. The mock's own `GET /openapi.json` answers the
 * effective document (src/contract/effective.ts), made on its first request.
 */
import { effectiveDocument, type EffectiveOptions } from '../contract/effective.js';
import type { Contract, OpenApiDocument } from '../contract/spec.js';
import type { Logger } from '../logger.js';
import type { AnyHandler, HandlerResult } from '../pipeline/dispatch.js';
import { PUBLISHED_OPERATION_ID } from './mock-document.js';
import { parsePrefer } from './prefer.js';
import { mockResponse } from './responses.js';

/** What the mock's handlers are built from. */
export interface MockHandlerOptions {
  readonly log?: Logger;
  /** What the published document says the pipeline adds (rate limits on or off). */
  readonly effective?: EffectiveOptions;
}

/** The statuses the mock answers itself with the uniform Error on any operation: 400 for a Prefer it cannot honour. */
export const MOCK_ERROR_STATUSES = [400] as const;

/** One handler per operationId of `contract`. */
export function mockHandlers(contract: Contract, { log, effective = {} }: MockHandlerOptions = {}): Record<string, AnyHandler<object>> {
  const handlers = contract.operations.map((op): [string, AnyHandler<object>] => {
    const answers = new Map<string, HandlerResult>();
    let dynamicRequests = 0;
    const handler: AnyHandler<object> = async (input: { header?: Record<string, unknown> }) => {
      const scenario = parsePrefer(input.header?.prefer);
      if (scenario.dynamic && scenario.example === undefined) {
        dynamicRequests += 1;
        return mockResponse(contract.document, op.path, op.method, { scenario, seed: dynamicRequests + 1, log });
      }
      const key = `${scenario.code ?? ''} ${scenario.example ?? ''}`;
      let answer = answers.get(key);
      if (answer === undefined) answers.set(key, (answer = mockResponse(contract.document, op.path, op.method, { scenario, log })));
      return answer;
    };
    return [op.operationId, handler];
  });
  let document: OpenApiDocument | undefined;
  const publish: AnyHandler<object> = async () => ({
    status: 200,
    body: (document ??= effectiveDocument(contract.document, { ...effective, errorBodyWhereNone: true, lastStageStatuses: [...MOCK_ERROR_STATUSES, ...(effective.lastStageStatuses ?? [])] })),
  });
  return Object.fromEntries(handlers.map(([id, handler]) => [id, id === PUBLISHED_OPERATION_ID ? publish : handler]));
}
