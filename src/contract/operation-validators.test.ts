import { describe, expect, it } from 'vitest';
import { compileOperationValidators, EAGER_LIMIT, type SkippedCheck } from './operation-validators.js';
import type { BoundedValidator } from './bounded-validator.js';

/** A bounded validator as a boolean validator with `errors`, as Ajv's are. */
function legacy(validate: BoundedValidator) {
  const check = Object.assign((data: unknown) => {
    const verdict = validate(data);
    check.errors = verdict.valid ? null : verdict.errors;
    return verdict.valid;
  }, { errors: null as readonly unknown[] | null });
  return check;
}
import { contractFrom, type OpenApiDocument } from './spec.js';

/** A document of n operations whose query parameter `q` has the given schema. */
const docWith = (n: number, schema: Record<string, unknown>, openapi = '3.1.0') =>
  contractFrom({
    openapi,
    info: { title: 't', version: '1' },
    paths: Object.fromEntries(
      Array.from({ length: n }, (_, i) => [
        `/r${i}`,
        { get: { operationId: `op${i}`, parameters: [{ name: 'q', in: 'query', schema }], responses: { '200': { description: 'ok' } } } },
      ]),
    ),
  });

const params = (query: Record<string, unknown>) => ({ path: {}, query, header: {} });

describe('compileOperationValidators', () => {
  it('refuses to start on a schema that cannot compile by default (the Tasks API), naming operation and location', () => {
    expect(() => compileOperationValidators(docWith(2, { type: 'string', pattern: '(' }), { responses: false })).toThrow(
      /Cannot compile the schema of op0 at \/paths\/~1r0\/get\/parameters\/0\/schema: .*Invalid regular expression/,
    );
  });

  it('compiles everything at start-up in strict mode even above EAGER_LIMIT operations', () => {
    expect(() => compileOperationValidators(docWith(EAGER_LIMIT + 1, { type: 'string', pattern: '(' }), { responses: false })).toThrow(/op0/);
  });

  it('skips one uncompilable parameter with one warning and keeps checking the others (non-strict)', () => {
    const skipped: SkippedCheck[] = [];
    const contract = contractFrom({
      openapi: '3.1.0',
      info: { title: 't', version: '1' },
      paths: {
        '/r': {
          get: {
            operationId: 'list',
            parameters: [
              { name: 'bad', in: 'query', schema: { type: 'string', pattern: '(' } },
              { name: 'limit', in: 'query', schema: { type: 'integer' } },
            ],
            responses: { '200': { description: 'ok' } },
          },
        },
      },
    });
    const set = compileOperationValidators(contract, { responses: false, strict: false, onSkip: (s) => skipped.push(s) });
    expect(skipped).toEqual([{ operationId: 'list', location: '/paths/~1r/get/parameters/0/schema', reason: expect.stringMatching(/Invalid regular expression/) }]);
    expect(legacy(set.get('list').parameters)(params({ bad: '((', limit: '2' }))).toBe(true);
    expect(legacy(set.get('list').parameters)(params({ limit: 'two' }))).toBe(false);
  });

  it('defers compilation to first use above EAGER_LIMIT operations when not strict', () => {
    const skipped: SkippedCheck[] = [];
    const set = compileOperationValidators(docWith(EAGER_LIMIT + 1, { type: 'string', pattern: '(' }), { responses: false, strict: false, onSkip: (s) => skipped.push(s) });
    expect(skipped).toEqual([]);
    set.get('op0');
    expect(skipped.map((s) => s.operationId)).toEqual(['op0']);
  });

  it('retries a pattern that is valid JavaScript only without the u flag', () => {
    const set = compileOperationValidators(docWith(1, { type: 'string', pattern: '^{[0-9]{2}}$' }, '3.0.3'), { responses: false });
    expect(legacy(set.get('op0').parameters)(params({ q: '{12}' }))).toBe(true);
    expect(legacy(set.get('op0').parameters)(params({ q: '12' }))).toBe(false);
  });

  it('coerces and defaults parameters into the data it validates', () => {
    const set = compileOperationValidators(docWith(1, { type: 'integer', default: 7 }), { responses: false });
    const data = params({});
    expect(set.get('op0').parameters(data)).toEqual({ valid: true });
    expect(data.query).toEqual({ q: 7 });
  });

  it('accepts only decimal integer text for an integer parameter', () => {
    const validate = legacy(compileOperationValidators(docWith(1, { type: 'integer' }), { responses: false }).get('op0').parameters);
    for (const good of ['0', '12', '-3']) expect(validate(params({ q: good })), good).toBe(true);
    for (const bad of ['+1', '0x10', ' ', '', '\n', '1e3', '1.5', '01', 'Infinity']) {
      expect(validate(params({ q: bad })), JSON.stringify(bad)).toBe(false);
      expect(validate.errors).toEqual([expect.objectContaining({ instancePath: '/query/q', message: 'must be integer' })]);
    }
  });

  it('accepts only the JSON number grammar for a number parameter, also inside arrays', () => {
    const number = legacy(compileOperationValidators(docWith(1, { type: 'number' }), { responses: false }).get('op0').parameters);
    for (const good of ['0', '-1.5', '2e10', '3E-2']) expect(number(params({ q: good })), good).toBe(true);
    for (const bad of ['.5', '1.', '+2', 'NaN', '0x1', ' 1']) expect(number(params({ q: bad })), bad).toBe(false);
    const list = legacy(compileOperationValidators(docWith(1, { type: 'array', items: { type: 'integer' } }), { responses: false }).get('op0').parameters);
    const data = params({ q: '5' });
    expect(list(data)).toBe(true);
    expect(data.query).toEqual({ q: [5] });
    expect(list(params({ q: ['1', '+2'] }))).toBe(false);
    expect(list.errors).toEqual([expect.objectContaining({ instancePath: '/query/q/1', message: 'must be integer' })]);
  });

  it('tells a single value from a list for oneOf: [string, array]', () => {
    const validate = legacy(compileOperationValidators(docWith(1, { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] }), { responses: false }).get('op0').parameters);
    expect(validate(params({ q: 'one' }))).toBe(true);
    expect(validate(params({ q: ['one', 'two'] }))).toBe(true);
  });
});

describe('references in published documents', () => {
  const base = (extra: OpenApiDocument): OpenApiDocument => ({ openapi: '3.0.3', info: { title: 't', version: '1' }, ...extra });

  it('follows percent-encoded and ~1-escaped pointers, and refs into paths', () => {
    const contract = contractFrom(
      base({
        paths: {
          '/keys/{key_id}': {
            parameters: [{ name: 'key_id', in: 'path', required: true, schema: { type: 'integer' } }],
            get: { operationId: 'getKey', responses: { '200': { description: 'ok' } } },
            delete: { operationId: 'deleteKey', parameters: [{ $ref: '#/paths/~1keys~1%7Bkey_id%7D/parameters/0' }], responses: { '204': { description: 'gone' } } },
          },
        },
      }),
    );
    const validate = legacy(compileOperationValidators(contract, { responses: false }).get('deleteKey').parameters);
    expect(validate({ path: { key_id: '4' }, query: {}, header: {} })).toBe(true);
    expect(validate({ path: { key_id: 'x' }, query: {}, header: {} })).toBe(false);
  });

  it('does not count an $id inside example data as a schema id', () => {
    const thing = { type: 'object', properties: { n: { type: 'integer' } }, example: { $id: 'same' } };
    const contract = contractFrom(
      base({
        paths: { '/t': { post: { operationId: 't', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } }, responses: { '200': { description: 'ok' } } } } },
        components: { schemas: { A: thing, B: { ...thing, example: { $id: 'same' } } } },
      }),
    );
    const body = legacy(compileOperationValidators(contract, { responses: false }).get('t').requestBody!.media.get('application/json')!);
    expect(body({ n: 1 })).toBe(true);
    expect(body({ n: 'x' })).toBe(false);
  });

  it('warns once and still validates when two schemas really reuse one $id (non-strict), refuses in strict mode', () => {
    const doc = base({
      paths: { '/t': { post: { operationId: 't', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/A' } } } }, responses: { '200': { description: 'ok' } } } } },
      components: { schemas: { A: { $id: 'dup', type: 'integer' }, B: { $id: 'dup', type: 'string' } } },
    });
    expect(() => compileOperationValidators(contractFrom(doc), { responses: false })).toThrow(/cannot be registered/);
    const skipped: SkippedCheck[] = [];
    const set = compileOperationValidators(contractFrom(doc), { responses: false, strict: false, onSkip: (s) => skipped.push(s) });
    expect(skipped).toHaveLength(1);
    expect(skipped[0]!.reason).toMatch(/dup/);
    expect(legacy(set.get('t').requestBody!.media.get('application/json')!)(1)).toBe(true);
    expect(legacy(set.get('t').requestBody!.media.get('application/json')!)('x')).toBe(false);
  });

  it('skips an unresolvable $ref with a warning naming the operation and the location', () => {
    const skipped: SkippedCheck[] = [];
    const contract = contractFrom(
      base({ paths: { '/t': { post: { operationId: 't', requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Missing' } } } }, responses: { '200': { description: 'ok' } } } } } }),
    );
    compileOperationValidators(contract, { responses: false, strict: false, onSkip: (s) => skipped.push(s) });
    expect(skipped).toEqual([{ operationId: 't', location: '/paths/~1t/post/requestBody/content/application~1json/schema', reason: expect.stringMatching(/Missing/) }]);
  });
});

describe('compileOperationValidators sharing compiled schemas', () => {
  const name = { type: 'string', maxLength: 5 };
  /** A POST whose path `id` has at most `idLength` characters and whose JSON body has `body` for schema. */
  const post = (operationId: string, idLength: number, body: Record<string, unknown>) => ({
    post: {
      operationId,
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', maxLength: idLength } }],
      requestBody: { content: { 'application/json': { schema: body } } },
      responses: { '200': { description: 'ok' } },
    },
  });
  const contract = contractFrom({
    openapi: '3.1.0',
    info: { title: 't', version: '1' },
    components: { schemas: { Name: name, Alias: { $ref: '#/components/schemas/Name' } } },
    paths: {
      '/a/{id}': post('plain', 3, { $ref: '#/components/schemas/Alias' }),
      // A $ref with a sibling keyword (JSON Schema 2020-12) keeps the sibling.
      '/b/{id}': post('stricter', 2, { $ref: '#/components/schemas/Name', minLength: 2 }),
      '/c/{id}': post('same', 3, { $ref: '#/components/schemas/Name' }),
    },
  });
  const set = compileOperationValidators(contract, { responses: false });
  const pathOk = (operationId: string, id: string) => legacy(set.get(operationId).parameters)({ path: { id }, query: {}, header: {} });
  const bodyOk = (operationId: string, body: unknown) => legacy(set.get(operationId).requestBody!.media.get('application/json')!)(body);

  it('checks each operation against its own parameter schema', () => {
    expect([pathOk('plain', 'abc'), pathOk('same', 'abc'), pathOk('stricter', 'abc'), pathOk('stricter', 'ab')]).toEqual([true, true, false, true]);
  });

  it('checks each operation against its own body schema, a $ref chain and a $ref with siblings alike', () => {
    expect([bodyOk('plain', 'a'), bodyOk('same', 'a'), bodyOk('stricter', 'a'), bodyOk('stricter', 'ab')]).toEqual([true, true, false, true]);
    expect([bodyOk('plain', 'abcdef'), bodyOk('same', 'abcdef'), bodyOk('stricter', 'abcdef')]).toEqual([false, false, false]);
  });
});
