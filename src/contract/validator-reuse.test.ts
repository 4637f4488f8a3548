import { describe, expect, it } from 'vitest';
import { compileOperationValidators } from './operation-validators.js';
import { contractFrom, type OpenApiDocument } from './spec.js';
import { reuseKeyer } from './validator-reuse.js';

/** One operation whose query parameter `q` refers to the component Q; `example` is a media-type example (not checked). */
const documentWith = (q: object, example = 'a'): OpenApiDocument => ({
  openapi: '3.1.0',
  info: { title: 't', version: '1' },
  paths: {
    '/r': {
      get: {
        operationId: 'getR',
        parameters: [{ name: 'q', in: 'query', schema: { $ref: '#/components/schemas/Q' } }],
        responses: { '200': { description: 'ok', content: { 'application/json': { schema: { $ref: '#/components/schemas/Q' }, example } } } },
      },
    },
  },
  components: { schemas: { Q: q, Inner: { type: 'integer' } } },
});

const accepts = async (document: OpenApiDocument, q: string) => {
  const validators = compileOperationValidators(contractFrom(document), { responses: true, deferred: true });
  await validators.prepare();
  return validators.get('getR').parameters({ path: {}, query: { q }, header: {} }).valid;
};

describe('validators reused across contract generations', () => {
  it('a changed $ref target is compiled again: the new generation checks the new schema', async () => {
    expect(await accepts(documentWith({ type: 'string', maxLength: 3 }), 'abcd')).toBe(false);
    expect(await accepts(documentWith({ type: 'string', maxLength: 5 }), 'abcd')).toBe(true);
    expect(await accepts(documentWith({ type: 'string', maxLength: 3 }, 'b'), 'abcd')).toBe(false);
  });

  it('keys a schema by what it reaches: the same when only an example changed, different when a target (or a target of a target) changed', () => {
    const schema = { $ref: 'spec#/components/schemas/Q' };
    const key = (document: OpenApiDocument) => reuseKeyer(document, 'v')(schema);
    const nested = (inner: object, example = 'a') => ({ ...documentWith({ type: 'object', properties: { n: { $ref: '#/components/schemas/Inner' } } }, example), components: { schemas: { Q: { type: 'object', properties: { n: { $ref: '#/components/schemas/Inner' } } }, Inner: inner } } });
    expect(key(nested({ type: 'integer' }, 'a'))).toBe(key(nested({ type: 'integer' }, 'b')));
    expect(key(nested({ type: 'integer' }))).not.toBe(key(nested({ type: 'integer', minimum: 0 })));
    expect(reuseKeyer(nested({ type: 'integer' }), 'v')(schema)).not.toBe(reuseKeyer(nested({ type: 'integer' }), 'w')(schema));
  });

  it('never reuses a schema located by $id or a ref outside the document', () => {
    expect(reuseKeyer(documentWith({ $id: 'https://example.com/q', type: 'string' }), 'v')({ $ref: 'spec#/components/schemas/Q' })).toBeUndefined();
    expect(reuseKeyer(documentWith({ type: 'string' }), 'v')({ $ref: 'https://example.com/q.json' })).toBeUndefined();
    expect(reuseKeyer(documentWith({ type: 'string' }), 'v')({ $ref: 'spec#/components/schemas/Missing' })).toBeUndefined();
  });

  it('a deferred set that does not compile rejects prepare() in strict mode, as the eager compile throws', async () => {
    const validators = compileOperationValidators(contractFrom(documentWith({ type: 'string', pattern: '(' })), { responses: false, deferred: true });
    await expect(validators.prepare()).rejects.toThrow(/getR/);
  });
});
