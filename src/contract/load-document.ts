/**
 * The one way a command loads the OpenAPI document it serves or compares: a file or an http(s) URL
 * (retried while the upstream starts, src/contract/fetch-text.ts), YAML or JSON, with OpenAPI
 * Overlay 1.0 documents applied in order before anything is compiled, and converted from
 * Swagger 2.0 when the caller asks. Every failure is a DocumentLoadError with one line.
 */
import { DocumentLoadError, textAt } from './fetch-text.js';
import { openApi3 } from './openapi-version.js';
import { applyOverlay } from './overlay-apply.js';
import { checkedOverlay, type Overlay } from './overlay-check.js';
import { parseDocumentText, type OpenApiDocument } from './spec.js';

export { DocumentLoadError } from './fetch-text.js';

/** What loadDocument does beyond reading: overlays, retries, conversion, and where it reports. */
export interface LoadOptions {
  /** Overlay files or URLs, applied in this order. */
  readonly overlays?: readonly string[];
  /** How long a URL is retried (SPEC_FETCH_TIMEOUT_MS); 30 s when unset. */
  readonly retry?: { readonly timeoutMs: number };
  /** Convert a Swagger 2.0 document to OpenAPI 3.0 (after the overlays, which address the document as published). */
  readonly openApi3?: boolean;
  /** Hears an overlay target that selects nothing (warn) and a URL that is being retried (info). */
  readonly log?: { warn(message: string): void; info(message: string): void };
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** The parsed object at a location, or a DocumentLoadError naming it. */
async function objectAt(location: string, options: LoadOptions, what: string): Promise<Record<string, unknown>> {
  const text = await textAt(location, { timeoutMs: options.retry?.timeoutMs, log: options.log });
  let parsed: unknown;
  try {
    parsed = parseDocumentText(text);
  } catch (error) {
    throw new DocumentLoadError(`${location}: is neither JSON nor YAML: ${firstLine(error)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new DocumentLoadError(`${location}: is not ${what} (not an object)`);
  return parsed as Record<string, unknown>;
}

/** Reads, parses and overlays the document at source; converts it from Swagger 2.0 when asked. */
export async function loadDocument(source: string, options: LoadOptions = {}): Promise<OpenApiDocument> {
  // Each overlay is checked as soon as it is read: a malformed one fails without waiting for a URL still being retried.
  const [document, ...overlays] = await Promise.all([
    objectAt(source, options, 'an OpenAPI document'),
    ...(options.overlays ?? []).map((location) => objectAt(location, options, 'an Overlay document').then((parsed) => checkedOverlay(parsed, location))),
  ]);
  const warn = (message: string) => options.log?.warn(message);
  const overlaid = (overlays as Overlay[]).reduce<Record<string, unknown>>((current, overlay, index) => applyOverlay(current, overlay, options.overlays![index]!, warn), document as Record<string, unknown>);
  if (!options.openApi3) return overlaid as OpenApiDocument;
  try {
    return await openApi3(overlaid as OpenApiDocument);
  } catch (error) {
    throw new DocumentLoadError(`${source}: ${firstLine(error)}`);
  }
}
