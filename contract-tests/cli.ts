/**
 * `npm run contract -- --base-url <url> [--token <jwt> | --jwt-secret <secret>] [--seed N]
 * [--max-examples N] [--time-budget S] [--origin O] [--spec path-or-url]`: exits 1 on any failure.
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import { runContractTests } from './runner.js';
import { loadContractSpec } from './spec.js';

const USAGE = 'usage: npm run contract -- --base-url <url> [--token <jwt> | --jwt-secret <secret>] [--seed N] [--max-examples N] [--time-budget seconds] [--origin <allowed origin>] [--spec <file or url>]';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    'base-url': { type: 'string' },
    token: { type: 'string' },
    'jwt-secret': { type: 'string' },
    seed: { type: 'string' },
    'max-examples': { type: 'string', default: '100' },
    'time-budget': { type: 'string', default: '120' },
    origin: { type: 'string', default: 'http://localhost:3000' },
    spec: { type: 'string', default: new URL('../openapi.yaml', import.meta.url).pathname },
  },
});
const baseUrl = values['base-url'] ?? fail('--base-url is required.');
if (values.token && values['jwt-secret']) fail('Give --token or --jwt-secret, not both.');
const integer = (name: string, raw: string | undefined) => {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : fail(`--${name} must be a non-negative integer (got "${raw}").`);
};
const seed = values.seed === undefined ? randomInt(2 ** 31) : integer('seed', values.seed);

async function tokenFor(): Promise<string | undefined> {
  if (values.token) return values.token;
  const secret = values['jwt-secret'];
  if (!secret) return undefined;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: `contract-tests-${seed}`, iat: now, exp: now + 3600 })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

const spec = await loadContractSpec(values.spec);
const report = await runContractTests(spec, {
  baseUrl,
  origin: values.origin,
  token: await tokenFor(),
  seed,
  maxExamples: integer('max-examples', values['max-examples']),
  timeBudgetMs: integer('time-budget', values['time-budget']) * 1000,
  write: (line) => process.stdout.write(`${line}\n`),
});
process.stdout.write(`${report.failures.length === 0 ? 'PASSED' : 'FAILED'} (reproduce this run with --seed ${seed})\n`);
process.exit(report.failures.length === 0 ? 0 : 1);
