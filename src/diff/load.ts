/**
 * The breaking-change check's I/O: a document from a file or an `http(s)://` URL, YAML or JSON,
 * OpenAPI 2.0 (converted, src/contract/openapi-version.ts), 3.0 or 3.1; and the severity config.
 * Every failure is a DiffInputError with one line saying what and where.
 */
import { readFile } from 'node:fs/promises';
import { openApi3 } from '../contract/openapi-version.js';
import { parseDocumentText, type OpenApiDocument } from '../contract/spec.js';
import { severitiesFromConfig, type SeverityOverrides } from './severities.js';

/** A document or config that cannot be read, parsed or converted (the CLI's exit 2). */
export class DiffInputError extends Error {
  override name = 'DiffInputError';
}

const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** The text at a path or an http(s) URL. */
async function textAt(location: string): Promise<string> {
  if (!/^https?:\/\//i.test(location)) return readFile(location, 'utf8');
  const response = await fetch(location, { signal: AbortSignal.timeout(30_000) });
  if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
  return response.text();
}

/** A parsed document or config, or a DiffInputError naming the location. */
async function parsedAt(location: string): Promise<unknown> {
  let text: string;
  try {
    text = await textAt(location);
  } catch (error) {
    throw new DiffInputError(`${location}: cannot be read: ${firstLine(error)}`);
  }
  try {
    return parseDocumentText(text);
  } catch (error) {
    throw new DiffInputError(`${location}: is neither JSON nor YAML: ${firstLine(error)}`);
  }
}

/** Loads one OpenAPI document as 3.x. */
export async function loadDocument(location: string): Promise<OpenApiDocument> {
  const parsed = await parsedAt(location);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new DiffInputError(`${location}: is not an OpenAPI document (not an object)`);
  try {
    return await openApi3(parsed as OpenApiDocument);
  } catch (error) {
    throw new DiffInputError(`${location}: ${firstLine(error)}`);
  }
}

/** Loads a severity config file (JSON or YAML). */
export async function loadSeverities(location: string): Promise<SeverityOverrides> {
  const parsed = await parsedAt(location);
  try {
    return severitiesFromConfig(parsed);
  } catch (error) {
    throw new DiffInputError(`${location}: ${firstLine(error)}`);
  }
}
