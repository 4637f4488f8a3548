// generated — do not edit. Source: openapi.yaml; regenerate with `npm run generate`.
/** The operationIds openapi.yaml sends upstream (x-specgate-upstream): no handler is written for them. */
export type UpstreamOperationId = never;
