import { describe, expect, it } from 'vitest';
import { schemaDocument } from './openapi30.js';

const doc30 = (schemas: Record<string, unknown>) => ({ openapi: '3.0.3', info: { title: 't', version: '1' }, paths: {}, components: { schemas } });

describe('schemaDocument', () => {
  it('turns nullable into a null type, wrapping schemas without a type, and keeps null in enums', () => {
    const out = schemaDocument(
      doc30({
        Name: { type: 'string', nullable: true },
        Ref: { allOf: [{ $ref: '#/components/schemas/Name' }], nullable: true },
        Colour: { type: 'string', enum: ['red'], nullable: true },
        Plain: { type: 'string', nullable: false },
      }),
    );
    expect(out.components.schemas).toEqual({
      Name: { type: ['string', 'null'] },
      Ref: { anyOf: [{ allOf: [{ $ref: '#/components/schemas/Name' }] }, { type: 'null' }] },
      Colour: { type: ['string', 'null'], enum: ['red', null] },
      Plain: { type: 'string' },
    });
  });

  it('turns boolean exclusive bounds into numbers and leaves the input untouched', () => {
    const input = doc30({ Positive: { type: 'integer', minimum: 0, exclusiveMinimum: true } });
    expect(schemaDocument(input).components.schemas.Positive).toEqual({ type: 'integer', exclusiveMinimum: 0 });
    expect(input.components.schemas.Positive).toEqual({ type: 'integer', minimum: 0, exclusiveMinimum: true });
  });

  it('returns a 3.1 document as it is', () => {
    const doc = { openapi: '3.1.0', info: { title: 't', version: '1' }, paths: {} };
    expect(schemaDocument(doc)).toBe(doc);
  });
});
