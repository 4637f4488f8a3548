import { describe, expect, it } from 'vitest';
import { bareAjv } from '../contract/ajv.js';
import { generate } from './generate.js';

const ajv = bareAjv(true);
/** A schema using every keyword request validation checks on strings, numbers, arrays and objects. */
const customer = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'email', 'name', 'created', 'balance', 'currency', 'phone', 'address', 'tags', 'website', 'code', 'ratio', 'quantity'],
  properties: {
    id: { type: 'string', pattern: '^cus_[a-zA-Z0-9]{14}$', maxLength: 5000 },
    email: { type: 'string', maxLength: 5000 },
    name: { type: 'string', minLength: 1, maxLength: 40 },
    created: { type: 'string', format: 'date-time' },
    balance: { type: 'number', minimum: 0, exclusiveMaximum: 1000, multipleOf: 0.01 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
    phone: { type: 'string' },
    address: { type: 'object', required: ['city', 'country', 'postal_code'], properties: { city: { type: 'string' }, country: { type: 'string', minLength: 2, maxLength: 2 }, postal_code: { type: 'string', pattern: '^\\d{5}$' } } },
    tags: { type: 'array', minItems: 2, maxItems: 4, uniqueItems: true, items: { type: 'string', enum: ['new', 'vip', 'churned'] } },
    website: { type: 'string', format: 'uri' },
    code: { type: 'string', pattern: '^[A-Z]{2}-\\d{4}$', minLength: 7, maxLength: 7 },
    ratio: { type: 'number', minimum: 0, maximum: 1, exclusiveMinimum: 0 },
    quantity: { type: 'integer', minimum: 3, maximum: 3 },
  },
};

describe('generate', () => {
  it('makes values valid against every keyword the validator checks, for many seeds', () => {
    const validate = ajv.compile(customer);
    for (let seed = 1; seed <= 60; seed++) {
      const value = generate({}, customer, { seed, examples: seed % 2 === 0 });
      expect({ seed, valid: validate(value), errors: validate.errors }).toEqual({ seed, valid: true, errors: null });
    }
  });

  it('makes values that look like their property names and formats', () => {
    const value = generate({}, customer) as Record<string, any>;
    expect(value.email).toMatch(/^[a-z]+\.[a-z-]+@example\.com$/);
    expect(value.name).toMatch(/^[A-Z][a-z]+ [A-Z][a-z-]+$/);
    expect(value.phone).toMatch(/^\+\d{10,}$/);
    expect(value.website).toMatch(/^https:\/\/example\.com\//);
    expect(value.created).toMatch(/^20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(value.id).toMatch(/^cus_[a-zA-Z0-9]{14}$/);
    expect(['Amsterdam', 'Lisbon', 'Montreal', 'Nairobi', 'Osaka', 'Santiago', 'Tallinn', 'Wellington', 'Porto', 'Kraków']).toContain(value.address.city);
  });

  it('gives the same value for the same seed and another for another seed', () => {
    expect(generate({}, customer, { seed: 5 })).toEqual(generate({}, customer, { seed: 5 }));
    expect(generate({}, customer, { seed: 5 })).not.toEqual(generate({}, customer, { seed: 6 }));
  });

  it('matches Stripe-style id patterns with a prefix and an alternation', () => {
    const schema = { type: 'string', pattern: '^(pi|pm|ch)_[A-Za-z0-9]{24}$', maxLength: 5000 };
    for (let seed = 1; seed <= 20; seed++) expect(generate({}, schema, { seed })).toMatch(/^(pi|pm|ch)_[A-Za-z0-9]{24}$/);
  });

  it('keeps a name-based value only when it matches the pattern, else makes one that does', () => {
    expect(generate({}, { type: 'string', pattern: '^[a-z]+@corp\\.test$' }, { name: 'email' })).toMatch(/^[a-z]+@corp\.test$/);
    expect(generate({}, { type: 'string', pattern: '@example\\.com$' }, { name: 'email' })).toMatch(/^[a-z.-]+@example\.com$/);
  });
});
