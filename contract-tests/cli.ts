/**
 * `npm run contract -- --base-url <url> [credentials] [--seed N] [--max-examples N]
 * [--time-budget S] [--origin O] [--spec path-or-url] [--undeclared-errors fail|warn]
 * [--exclude-check name]…`: exits 0 when at least one operation was tested and every check
 * passed, 1 on contract failures, 2 when the runner itself failed (bad arguments included), 3 when
 * nothing was tested (every operation skipped: no credential for it, or no request can be drawn).
 */
import { randomInt } from 'node:crypto';
import { parseArgs } from 'node:util';
import { DEFAULT_SPEC, runContract } from './contract.js';

const USAGE =
  'usage: npm run contract -- --base-url <url> [--token <jwt> | --jwt-secret <secret> [--scopes "a b"]] [--basic user:password] [--api-key [SCHEME=]<key>]… ' +
  '[--seed N] [--max-examples N] [--time-budget seconds] [--request-timeout seconds] [--origin <allowed origin>] [--spec <file or url>] ' +
  '[--undeclared-errors fail|warn] [--exclude-check <name>]…';

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

let parsed: ReturnType<typeof parse>;
function parse() {
  return parseArgs({
    options: {
      'base-url': { type: 'string' },
      token: { type: 'string' },
      'jwt-secret': { type: 'string' },
      scopes: { type: 'string' },
      basic: { type: 'string' },
      'api-key': { type: 'string', multiple: true, default: [] },
      seed: { type: 'string' },
      'max-examples': { type: 'string', default: '100' },
      'time-budget': { type: 'string', default: '120' },
      'request-timeout': { type: 'string', default: '10' },
      origin: { type: 'string', default: 'http://localhost:3000' },
      spec: { type: 'string', default: DEFAULT_SPEC },
      'undeclared-errors': { type: 'string', default: 'fail' },
      'exclude-check': { type: 'string', multiple: true, default: [] },
    },
  });
}
try {
  parsed = parse();
} catch (error) {
  fail((error as Error).message);
}
const { values } = parsed;
const baseUrl = values['base-url'] ?? fail('--base-url is required.');
if (values.token && values['jwt-secret']) fail('Give --token or --jwt-secret, not both.');
if (values.scopes !== undefined && !values['jwt-secret']) fail('--scopes goes with --jwt-secret (it sets the minted token\'s scope claim).');
if (values.basic !== undefined && !values.basic.includes(':')) fail('--basic must be user:password.');
const undeclared = values['undeclared-errors'];
if (undeclared !== 'fail' && undeclared !== 'warn') fail(`--undeclared-errors must be fail or warn (got "${undeclared}").`);
const integer = (name: string, raw: string | undefined) => {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 0 ? n : fail(`--${name} must be a non-negative integer (got "${raw}").`);
};
const seed = values.seed === undefined ? randomInt(2 ** 31) : integer('seed', values.seed);

const result = await runContract({
  baseUrl,
  spec: values.spec,
  seed,
  origin: values.origin,
  maxExamples: integer('max-examples', values['max-examples']),
  timeBudgetMs: integer('time-budget', values['time-budget']) * 1000,
  requestTimeoutMs: Math.max(1, integer('request-timeout', values['request-timeout'])) * 1000,
  ...(values.token ? { token: values.token } : {}),
  ...(values['jwt-secret'] ? { jwtSecret: values['jwt-secret'] } : {}),
  ...(values.scopes !== undefined ? { scopes: values.scopes.split(/[\s,]+/).filter(Boolean) } : {}),
  ...(values.basic !== undefined ? { basic: values.basic } : {}),
  apiKeyArgs: values['api-key'],
  undeclaredErrors: undeclared,
  excludeChecks: values['exclude-check'],
  write: (line) => process.stdout.write(`${line}\n`),
});
if (!result.report) process.stdout.write(`${result.summary}\n`);
const verdict = ['PASSED', 'FAILED', 'RUNNER ERROR', 'NOTHING TESTED'][result.exitCode];
process.stdout.write(`${verdict} (reproduce this run with --seed ${seed})\n`);
process.exit(result.exitCode);
