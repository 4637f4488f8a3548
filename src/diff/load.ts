/**
 * The breaking-change check's I/O: a document from a file or an `http(s)://` URL, YAML or JSON,
 * OpenAPI 2.0 (converted, src/contract/openapi-version.ts), 3.0 or 3.1, with overlays applied
 * (src/contract/load-document.ts, shared with the gateway and the mock); and the severity config.
 * Every failure is a DiffInputError with one line saying what and where.
 */
import { DocumentLoadError, loadDocument as loadShared, type LoadOptions } from '../contract/load-document.js';
import { textAt } from '../contract/fetch-text.js';
import { parseDocumentText, type OpenApiDocument } from '../contract/spec.js';
import { severitiesFromConfig, type SeverityOverrides } from './severities.js';

/** A document or config that cannot be read, parsed or converted (the CLI's exit 2). */
export class DiffInputError extends Error {
  override name = 'DiffInputError';
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** Loads one OpenAPI document as 3.x, with its overlays applied first. */
export async function loadDocument(location: string, options: Omit<LoadOptions, 'openApi3'> = {}): Promise<OpenApiDocument> {
  try {
    return await loadShared(location, { ...options, openApi3: true });
  } catch (error) {
    if (error instanceof DocumentLoadError) throw new DiffInputError(error.message);
    throw error;
  }
}

/** Loads a severity config file (JSON or YAML). */
export async function loadSeverities(location: string): Promise<SeverityOverrides> {
  let parsed: unknown;
  try {
    parsed = parseDocumentText(await textAt(location));
  } catch (error) {
    throw new DiffInputError(error instanceof DocumentLoadError ? error.message : `${location}: is neither JSON nor YAML: ${firstLine(error)}`);
  }
  try {
    return severitiesFromConfig(parsed);
  } catch (error) {
    throw new DiffInputError(`${location}: ${firstLine(error)}`);
  }
}
