/** The part of swagger2openapi (no bundled types) that src/contract/openapi-version.ts uses. */
declare module 'swagger2openapi' {
  /** Converts a Swagger 2.0 object; with `direct: true` resolves to the OpenAPI 3.0 object. */
  export function convertObj(swagger: object, options: Record<string, unknown>): Promise<Record<string, any>>;
}
