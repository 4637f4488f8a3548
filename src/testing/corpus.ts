/**
 * The mock corpus: real published documents (the @readme/oas-examples collection, GitHub's REST
 * description), each started once through the real mock app and sent a few requests — one per
 * operation that a bare request can reach, capped — of which none may be a 5xx unless the
 * operation declares nothing below 500. Documents listed in src/mock/corpus-expectations.json
 * must instead fail to start, with the reason given there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openApi3 } from '../contract/openapi-version.js';
import { pointerTarget } from '../contract/refs.js';
import type { OpenApiDocument } from '../contract/spec.js';
import expectations from '../mock/corpus-expectations.json' with { type: 'json' };
import { startMock } from './mock-server.js';
import { mintToken } from './tokens.js';

const MODULES = new URL('../../node_modules/', import.meta.url);
/** Requests sent per document at most. */
const REQUESTS_PER_DOCUMENT = 12;
/** The bound for any document of the corpus, from load to listening (generous: CI is shared). */
const START_BOUND_MS = 10_000;

/** The documents of one @readme/oas-examples version folder, as paths under node_modules. */
export function oasExamples(version: '2.0' | '3.0' | '3.1'): string[] {
  const folder = `@readme/oas-examples/${version}/json/`;
  return readdirSync(new URL(folder, MODULES)).filter((f) => f.endsWith('.json')).map((f) => folder + f);
}

const resolve = (document: OpenApiDocument, value: any) => (typeof value?.$ref === 'string' ? pointerTarget(document, value.$ref) : value);

/** Operations a bare request can reach: no required query, header or cookie parameter, no required body; path parameters get `1`. */
function bareRequests(document: OpenApiDocument): { method: string; path: string; statuses: string[] }[] {
  const found: { method: string; path: string; statuses: string[] }[] = [];
  for (const [template, rawItem] of Object.entries<any>(document.paths ?? {})) {
    const item = resolve(document, rawItem);
    for (const method of ['get', 'delete', 'post', 'put', 'patch']) {
      const operation = item?.[method];
      if (!operation) continue;
      const params = [...(item.parameters ?? []), ...(operation.parameters ?? [])].map((p) => resolve(document, p));
      if (params.some((p) => p?.required === true && p.in !== 'path')) continue;
      if (resolve(document, operation.requestBody)?.required === true) continue;
      found.push({ method: method.toUpperCase(), path: template.replace(/\{[^}]+\}/g, '1'), statuses: Object.keys(operation.responses ?? {}) });
    }
  }
  return found.slice(0, REQUESTS_PER_DOCUMENT);
}

/** One vitest suite over `files` (paths under node_modules). */
export function corpusSuite(title: string, files: readonly string[]): void {
  const cannotStart = expectations.cannotStart as Record<string, string>;
  describe(title, () => {
    it.each(files)('%s starts and answers no 5xx', async (file) => {
      const source = readFileSync(new URL(file, MODULES), 'utf8');
      const started = performance.now();
      const load = async () => openApi3(source.trimStart().startsWith('{') ? JSON.parse(source) : parse(source));
      if (file in cannotStart) {
        await expect(load().then((d) => startMock(d))).rejects.toThrow(cannotStart[file]);
        return;
      }
      const document = await load();
      const mock = await startMock(document);
      try {
        expect(performance.now() - started).toBeLessThan(START_BOUND_MS);
        const token = await mintToken('corpus', { scope: 'read write admin' });
        const failures: string[] = [];
        for (const { method, path, statuses } of bareRequests(document)) {
          const res = await mock.request(path, { method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' } });
          await res.arrayBuffer();
          const onlyServerErrors = statuses.length > 0 && statuses.every((s) => /^5/.test(s));
          if (res.status >= 500 && !onlyServerErrors) failures.push(`${method} ${path} → ${res.status}`);
        }
        expect(failures).toEqual([]);
      } finally {
        await mock.close();
      }
    });
  });
}
