/**
 * What the docs operations serve (getDocs, getOpenApiJson, getOpenApiYaml in openapi.yaml). A
 * missing docs page fails the start, not the first request; the page itself (2.5 MB) and the JSON
 * form are read and made on their first request, once, not on every start.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { PublishedDocuments } from '../contract/handler.js';
import type { Contract } from '../contract/spec.js';

/** The Redoc page `npm run docs` builds (committed; `npm run check:docs` keeps it fresh). */
export const DEFAULT_DOCS_PATH = new URL('../../docs/api.html', import.meta.url).pathname;

/** The contract's YAML and JSON forms and the Redoc page at `htmlPath`. */
export function publishedDocuments(contract: Contract, htmlPath: string = DEFAULT_DOCS_PATH): PublishedDocuments {
  if (!existsSync(htmlPath)) throw new Error(`The docs page ${htmlPath} is missing: run \`npm run docs\`.`);
  let json: string | undefined;
  let html: string | undefined;
  return Object.freeze({
    yaml: contract.source,
    get json() {
      return (json ??= JSON.stringify(contract.document));
    },
    get html() {
      return (html ??= readFileSync(htmlPath, 'utf8'));
    },
  });
}
