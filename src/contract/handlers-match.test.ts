import { describe, expect, it } from 'vitest';
import { handlers } from '../handlers/index.js';
import { assertHandlersMatch } from './handlers-match.js';
import { loadContract } from './spec.js';

describe('assertHandlersMatch', () => {
  const contract = loadContract();

  it('accepts the shipped handler map', () => {
    expect(() => assertHandlersMatch(contract, handlers)).not.toThrow();
  });

  it('refuses to start when a handler is missing or extra, naming the operationIds', () => {
    const { deleteTask: _gone, ...rest } = handlers;
    expect(() => assertHandlersMatch(contract, { ...rest, archiveTask: rest.getTask })).toThrow(
      'Handlers do not match openapi.yaml: no handler for operationId(s): deleteTask (write one, mark the operation x-specgate-upstream, or set UPSTREAM_URL); handler(s) for operationId(s) not in the spec: archiveTask',
    );
  });
});
