/**
 * Bounded request validation on fixture documents: validation stops after CHECK_LIMIT errors,
 * and a body that only looked invalid because a failed `anyOf` branch piled up errors before a
 * later branch passed is still accepted.
 */
import { describe, expect, it } from 'vitest';
import { CHECK_LIMIT } from './bounded-validator.js';
import { compileOperationValidators } from './operation-validators.js';
import { contractFrom } from './spec.js';

/** The body validator of a one-operation document whose JSON body has `schema`. */
function bodyValidator(schema: Record<string, unknown>) {
  const contract = contractFrom({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    paths: {
      '/r': {
        post: {
          operationId: 'op',
          requestBody: { content: { 'application/json': { schema } } },
          responses: { '204': { description: 'ok' } },
        },
      },
    },
  });
  return compileOperationValidators(contract, { responses: false }).get('op').requestBody!.media.get('application/json')!;
}

const many = (value: unknown) => Array.from({ length: CHECK_LIMIT * 3 }, () => value);

describe('bounded validation', () => {
  it('lists every error below the limit and stops at it', () => {
    const validate = bodyValidator({ type: 'array', items: { type: 'string' } });
    const few = validate([1, 2, 3]);
    expect(few.valid === false && { count: few.errors.length, stopped: few.stopped }).toEqual({ count: 3, stopped: false });
    const lots = validate(many(1));
    expect(lots.valid === false && { count: lots.errors.length, stopped: lots.stopped }).toEqual({ count: CHECK_LIMIT, stopped: true });
  });

  it('still accepts a body whose failed anyOf branch piled up more errors than the limit', () => {
    const validate = bodyValidator({ anyOf: [{ type: 'array', items: { type: 'string' } }, { type: 'array', items: { type: 'number' } }] });
    expect(validate(many(1))).toEqual({ valid: true });
    expect(validate(many('s'))).toEqual({ valid: true });
    const refused = validate(many(true));
    expect(refused.valid === false && refused.stopped).toBe(true);
  });
});
