import { describe, expect, it } from 'vitest';
import type { CheckName } from './checks.js';
import { runContractTests } from './runner.js';
import { contractSpecFrom } from './spec.js';
import { startThingsServer, THINGS_SPEC, type ThingsFlaws } from './testing/things.js';

const spec = contractSpecFrom(THINGS_SPEC);

async function checksAgainst(flaws: ThingsFlaws): Promise<CheckName[]> {
  const server = await startThingsServer(flaws);
  try {
    const report = await runContractTests(spec, { baseUrl: server.url, origin: 'http://localhost:3000', token: undefined, seed: 11, maxExamples: 20, timeBudgetMs: 15_000, chains: 1 });
    return [...new Set(report.failures.map((f) => f.check))].sort();
  } finally {
    await server.close();
  }
}

describe('each check fires, by name, on the flaw it is about', () => {
  it('a conforming server passes every check', async () => {
    expect(await checksAgainst({})).toEqual([]);
  });

  // Exactly the checks each flaw breaks, and no others.
  const cases: [keyof ThingsFlaws, CheckName[]][] = [
    ['ignoresTenant', ['missing_required_header', 'negative_data_rejection']],
    ['noAllowHeader', ['allow_header_conformance']],
    ['answersUndeclaredMethod', ['unsupported_method']],
    ['textPlainBodies', ['content_type_conformance']],
    ['noLocation', ['response_headers_conformance']],
    ['acceptsInvalidBody', ['negative_data_rejection']],
    ['rejectsValidBody', ['positive_data_acceptance', 'status_code_conformance']],
    ['plainErrors', ['response_schema_conformance', 'uniform_error_body']],
    ['forgetsCreated', ['ensure_resource_availability']],
  ];
  for (const [flaw, checks] of cases) {
    it(`${flaw} → ${checks.join(' + ')}`, async () => {
      expect(await checksAgainst({ [flaw]: true })).toEqual(checks);
    });
  }
});
