/**
 * Accepts an OpenAPI 3.x document as it is and converts a Swagger 2.0 one to OpenAPI 3.0
 * at load with swagger2openapi (the converter Mermade maintains, used by Redocly and others; it
 * works offline: external `$ref`s are not fetched). Anything else is refused with one line
 * saying what was found. docs/contract.md says why converting beats refusing.
 */
import type { OpenApiDocument } from './spec.js';

/** A document that is not OpenAPI 3.x or Swagger 2.0, or a conversion that failed. */
export class UnsupportedDocument extends Error {
  override name = 'UnsupportedDocument';
}

/** Whether the document is Swagger 2.0. */
export const isSwagger2 = (document: OpenApiDocument) => String(document?.swagger ?? '').startsWith('2.');

/** Throws UnsupportedDocument unless the document is OpenAPI 3.x. */
export function assertOpenApi3(document: OpenApiDocument): void {
  if (isSwagger2(document)) {
    throw new UnsupportedDocument('This is a Swagger 2.0 document: load it with openApi3() (npm run mock converts it) or convert it first: npx swagger2openapi in.json -o out.json');
  }
  const version = String(document?.openapi ?? '');
  // `openapi: 3.0` in YAML is the number 3.
  if (!/^3(\.\d+)*$/.test(version)) {
    throw new UnsupportedDocument(`Not an OpenAPI 3.0/3.1 or Swagger 2.0 document (openapi: ${JSON.stringify(document?.openapi ?? null)}, swagger: ${JSON.stringify(document?.swagger ?? null)}).`);
  }
}

/** The document as OpenAPI 3.x: as it is, or converted from Swagger 2.0. */
export async function openApi3(document: OpenApiDocument): Promise<OpenApiDocument> {
  if (!isSwagger2(document)) {
    assertOpenApi3(document);
    return document;
  }
  const { convertObj } = await import('swagger2openapi');
  try {
    return await convertObj(structuredClone(document), { patch: true, warnOnly: true, resolve: false, resolveInternal: false, direct: true });
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new UnsupportedDocument(`This Swagger 2.0 document could not be converted to OpenAPI 3.0: ${reason}`);
  }
}
