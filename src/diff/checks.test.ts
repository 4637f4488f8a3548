/** docs/contract.md lists exactly the checks of the breaking-change check, with their default severities. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CHECKS } from './checks.js';

describe('the check catalogue', () => {
  it('is documented in docs/contract.md row for row: id, default severity, meaning', () => {
    const docs = readFileSync(new URL('../../docs/contract.md', import.meta.url), 'utf8');
    const rows = [...docs.matchAll(/^\| `([a-z-]+)` \| (breaking|warning|info) \| (.+) \|$/gm)].map((m) => [m[1], m[2], m[3]!.replace(/\\\|/g, '|')]);
    expect(rows).toEqual(Object.entries(CHECKS).map(([id, check]) => [id, check.severity, check.means]));
  });
});
