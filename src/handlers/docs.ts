/** Handlers for the `docs` tag of openapi.yaml: the contract itself and its Redoc page, public. */
import type { Handler } from '../contract/handler.js';

/** GET /docs: the self-contained Redoc page. */
export const getDocs: Handler<'getDocs'> = async (_input, { documents }) => ({ status: 200, body: documents.html });

/** GET /openapi.json: the document as JSON. */
export const getOpenApiJson: Handler<'getOpenApiJson'> = async (_input, { documents }) => ({
  status: 200,
  body: JSON.parse(documents.json) as Awaited<ReturnType<Handler<'getOpenApiJson'>>>['body'],
});

/** GET /openapi.yaml: the document as the repository holds it. */
export const getOpenApiYaml: Handler<'getOpenApiYaml'> = async (_input, { documents }) => ({ status: 200, body: documents.yaml });
