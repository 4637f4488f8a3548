import { describe, expect, it } from 'vitest';
import { resolveRef } from './refs.js';
import { loadContract } from './spec.js';

// redocly's configurable rules cannot follow a $ref to compare it with components.schemas.Error,
// so this rule of redocly.yaml's intent is checked here, over the loaded document.
const contract = loadContract();

describe('openapi.yaml documents every error with the Error schema', () => {
  it('every operation declares 4xx and 5xx responses, each application/json with the Error schema', () => {
    const problems: string[] = [];
    for (const op of contract.operations) {
      const responses: Record<string, unknown> = contract.document.paths[op.path][op.method].responses;
      const errors = Object.entries(responses).filter(([status]) => /^[45]/.test(status));
      if (!errors.some(([s]) => s.startsWith('4'))) problems.push(`${op.operationId}: no 4xx response`);
      if (!errors.some(([s]) => s.startsWith('5'))) problems.push(`${op.operationId}: no 5xx response`);
      for (const [status, raw] of errors) {
        const content = resolveRef(contract.document, raw)?.content ?? {};
        const schemaRef = content['application/json']?.schema?.$ref;
        // GET /health's 503 is the Health body by design: the degraded status is its answer.
        if (op.operationId === 'getHealth' && status === '503') continue;
        if (Object.keys(content).join() !== 'application/json' || schemaRef !== '#/components/schemas/Error') {
          problems.push(`${op.operationId} ${status}: not application/json with the Error schema`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
