/**
 * The document the mock serves, made from the one it was given (never changed): every operation
 * has an operationId, accepts the `Prefer` header of src/mock/prefer.ts (declared once as a
 * parameter, so request validation passes it to the mock and CORS preflights allow it, as for
 * any declared header), and `GET /openapi.json` publishes the contract the mock keeps
 * (src/contract/effective.ts) unless the document declares that path itself.
 */
import { freeName } from '../contract/error-components.js';
import { withOperationIds } from '../contract/operation-ids.js';
import { resolveRef } from '../contract/refs.js';
import { HTTP_METHODS, type OpenApiDocument } from '../contract/spec.js';

/** Where the mock publishes its effective document. */
export const PUBLISHED_PATH = '/openapi.json';
/** The operationId of the mock's own `GET /openapi.json`. */
export const PUBLISHED_OPERATION_ID = 'specgateMockOpenApiJson';

const PREFER_PARAMETER = {
  name: 'Prefer',
  in: 'header',
  required: false,
  description: 'Mock scenario (RFC 7240 syntax, as Prism reads it): `code=404` answers the declared 404, `example=name` a named example, `dynamic=true` a body generated for this request; they combine (`code=200, example=cat`); any other value is ignored. An undeclared code or example is refused with 400.',
  schema: { type: 'string' },
  // No `example`: a client or test generator that sends a parameter's example (the contract runner
  // does, for a free-form string) would switch the mock into a scenario on every request.
};

const PUBLISHED_OPERATION = {
  operationId: PUBLISHED_OPERATION_ID,
  summary: 'Read the contract this mock keeps, as JSON',
  description: 'The served document with the answers the mock itself adds: the uniform Error on the statuses its pipeline may answer, and the headers it sends.',
  security: [],
  responses: { '200': { description: 'The effective OpenAPI document.', content: { 'application/json': { schema: { type: 'object' } } } } },
};


const declaresPrefer = (document: OpenApiDocument, parameters: unknown): boolean =>
  Array.isArray(parameters) && parameters.some((p) => {
    const param = resolveRef(document, p);
    return param?.in === 'header' && String(param.name).toLowerCase() === 'prefer';
  });

/** The mock's document: operationIds, the Prefer parameter and GET /openapi.json added, on a copy. */
export function mockDocument(document: OpenApiDocument): OpenApiDocument {
  const inline = withOperationIds(document);
  const parameterName = freeName(inline.components?.parameters, 'SpecgateMockPrefer');
  const prefer = { $ref: `#/components/parameters/${parameterName}` };
  const copy = {
    ...inline,
    paths: { ...inline.paths },
    components: { ...inline.components, parameters: { ...inline.components?.parameters, [parameterName]: PREFER_PARAMETER } },
  };
  for (const [path, item] of Object.entries<Record<string, any>>(copy.paths ?? {})) {
    if (!item || typeof item !== 'object') continue;
    const next = { ...item };
    for (const method of HTTP_METHODS) {
      const operation = next[method];
      if (!operation || typeof operation !== 'object') continue;
      if (declaresPrefer(copy, item.parameters) || declaresPrefer(copy, operation.parameters)) continue;
      next[method] = { ...operation, parameters: [...(operation.parameters ?? []), prefer] };
    }
    copy.paths[path] = next;
  }
  if (!(PUBLISHED_PATH in copy.paths)) copy.paths[PUBLISHED_PATH] = { get: PUBLISHED_OPERATION };
  return copy;
}
