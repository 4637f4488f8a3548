import { describe, expect, it } from 'vitest';
import { schemaDocument } from './openapi30.js';

const doc = (openapi: string, schemas: Record<string, unknown>) => ({ openapi, info: { title: 't', version: '1' }, paths: {}, components: { schemas } });

describe('schemaDocument', () => {
  it('turns nullable into a null type, wrapping schemas without a type, and keeps null in enums', () => {
    const out = schemaDocument(
      doc('3.0.3', {
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
    const input = doc('3.0.3', { Positive: { type: 'integer', minimum: 0, exclusiveMinimum: true } });
    expect(schemaDocument(input).components.schemas.Positive).toEqual({ type: 'integer', exclusiveMinimum: 0 });
    expect(input.components.schemas.Positive).toEqual({ type: 'integer', minimum: 0, exclusiveMinimum: true });
  });

  it('normalises the same 3.0 idioms inside a 3.1 document, and keeps 3.1 numeric bounds', () => {
    const out = schemaDocument(
      doc('3.1.0', {
        Loose: { nullable: true, description: 'no type' },
        Capped: { type: 'number', maximum: 10, exclusiveMaximum: true },
        Numeric: { type: 'number', exclusiveMaximum: 10 },
      }),
    );
    expect(out.components.schemas).toEqual({
      Loose: { anyOf: [{ description: 'no type' }, { type: 'null' }] },
      Capped: { type: 'number', exclusiveMaximum: 10 },
      Numeric: { type: 'number', exclusiveMaximum: 10 },
    });
  });

  it('returns a 3.1 document without 3.0 idioms as it is', () => {
    const plain = doc('3.1.0', { N: { type: ['string', 'null'], examples: ['a'] } });
    expect(schemaDocument(plain)).toBe(plain);
  });

  it('for Ajv, leaves out example data and extensions but keeps properties named like keywords', () => {
    const out = schemaDocument(
      doc('3.1.0', {
        Thing: {
          type: 'object',
          properties: { nullable: { type: 'boolean' }, example: { type: 'string' } },
          example: { $id: 'https://example.com/one' },
          'x-internal': { $id: 'https://example.com/two' },
          default: { nullable: true },
        },
      }),
      { forAjv: true },
    );
    expect(out.components.schemas.Thing).toEqual({
      type: 'object',
      properties: { nullable: { type: 'boolean' }, example: { type: 'string' } },
      default: { nullable: true },
    });
  });
});
