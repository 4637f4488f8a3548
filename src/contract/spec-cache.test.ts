import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadContract, parsedCachePath, sourceDigest } from './spec.js';

const yaml = (title: string) => `openapi: 3.1.0
info: {title: ${title}, version: '1'}
paths:
  /ping:
    get:
      operationId: ping
      responses: {'204': {description: pong}}
`;

/** A spec file in a directory of its own, and optionally a parsed cache beside it. */
function specWithCache(text: string, cache?: { sha256: string; title: string }): string {
  const file = join(mkdtempSync(join(tmpdir(), 'specgate-spec-')), 'openapi.yaml');
  writeFileSync(file, text);
  if (cache) {
    const document = { openapi: '3.1.0', info: { title: cache.title, version: '1' }, paths: { '/ping': { get: { operationId: 'ping', responses: { '204': { description: 'pong' } } } } } };
    writeFileSync(parsedCachePath(file), JSON.stringify({ sha256: cache.sha256, document }));
  }
  return file;
}

describe('the parsed cache the build writes beside openapi.yaml', () => {
  it('is used when its digest is that of the YAML text', () => {
    const text = yaml('from YAML');
    const contract = loadContract(specWithCache(text, { sha256: sourceDigest(text), title: 'from the cache' }));
    expect(contract.document.info.title).toBe('from the cache');
    expect(contract.source).toBe(text);
  });

  it('is ignored once the YAML text has changed, and when it is not JSON', () => {
    const stale = specWithCache(yaml('edited'), { sha256: sourceDigest(yaml('before the edit')), title: 'stale' });
    expect(loadContract(stale).document.info.title).toBe('edited');
    const broken = specWithCache(yaml('parsed'));
    writeFileSync(parsedCachePath(broken), '{not json');
    expect(loadContract(broken).document.info.title).toBe('parsed');
    expect(loadContract(specWithCache(yaml('no cache'))).operations.map((op) => op.operationId)).toEqual(['ping']);
  });
});
