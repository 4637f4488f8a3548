import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadContract } from './contract/spec.js';

describe('the error catalogue', () => {
  const declared: string[] = loadContract().document.components.schemas.ErrorType.enum;
  const documented = [...readFileSync(new URL('../docs/errors.md', import.meta.url), 'utf8').matchAll(/^\| \d{3} \| `([a-z_]+)` \|/gm)].map(
    (m) => m[1],
  );

  it('documents exactly the error_type values openapi.yaml declares', () => {
    expect([...documented].sort()).toEqual([...declared].sort());
  });

  it('covers at least the classes every client relies on', () => {
    expect(declared).toEqual(
      expect.arrayContaining([
        'validation_error',
        'invalid_json',
        'authentication_error',
        'authorization_error',
        'not_found',
        'method_not_allowed',
        'payload_too_large',
        'unsupported_media_type',
        'conflict',
        'rate_limited',
        'internal_error',
        'service_unavailable',
      ]),
    );
  });
});
