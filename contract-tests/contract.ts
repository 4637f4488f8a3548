/**
 * The programmatic entry of the contract runner: loads the spec, mints a token when given a
 * secret, runs against a base URL within a total time budget and returns the exit code and the
 * summary; whatever goes wrong, it returns a verdict (2 when the runner itself failed).
 */
import { SignJWT } from 'jose';
import { CHECK_NAMES, type CheckName } from './checks.js';
import type { Credentials } from './http.js';
import type { UndeclaredErrors, Report, Summary, Writer } from './report.js';
import { runContractTests } from './runner.js';
import { contractSpecFrom, loadContractSpec, type ContractSpec } from './spec.js';

/** What a run needs; everything but `baseUrl` and `timeBudgetMs` has a default. */
export interface ContractOptions {
  readonly baseUrl: string;
  /** A file path, an http(s) URL, a parsed document or a loaded spec (default: this repository's openapi.yaml). */
  readonly spec?: string | Record<string, any> | ContractSpec;
  /** Total wall-clock budget in milliseconds. */
  readonly timeBudgetMs: number;
  readonly seed?: number;
  readonly maxExamples?: number;
  readonly origin?: string;
  /** A bearer token to send as it is. */
  readonly token?: string;
  /** An HS256 secret to mint a bearer token with (subject `contract-tests-<seed>`). */
  readonly jwtSecret?: string;
  /** The minted token's `scope` claim; default: every scope the document's security requirements name. */
  readonly scopes?: readonly string[];
  /** `user:password` for http basic schemes. */
  readonly basic?: string;
  /** The key for every apiKey scheme not named in `apiKeys`. */
  readonly apiKey?: string;
  /** apiKey credentials by security scheme name (or by the header, query or cookie name the scheme uses). */
  readonly apiKeys?: Readonly<Record<string, string>>;
  /** `--api-key` values as given: `NAME=VALUE` when NAME is one of the document's apiKey schemes (or their parameter names), else a key for every apiKey scheme. */
  readonly apiKeyArgs?: readonly string[];
  readonly undeclaredErrors?: UndeclaredErrors;
  readonly excludeChecks?: readonly string[];
  readonly requestTimeoutMs?: number;
  readonly chains?: number;
  readonly write?: Writer;
}

/** A run's verdict: 0 passed, 1 contract failures, 2 the runner failed, 3 nothing was tested; the summary text and counts. */
export interface ContractResult {
  readonly exitCode: 0 | 1 | 2 | 3;
  readonly summary: string;
  readonly counts?: Summary;
  readonly report?: Report;
}

/** The default spec: this repository's openapi.yaml. */
export const DEFAULT_SPEC = new URL('../openapi.yaml', import.meta.url).pathname;

async function mint(secret: string, seed: number, scopes: readonly string[]): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ sub: `contract-tests-${seed}`, iat: now, exp: now + 3600, ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(new TextEncoder().encode(secret));
}

/** Sorts `--api-key` values into keys by scheme (`NAME=VALUE` naming one of the document's apiKey schemes) and one key for the rest. */
function apiKeysFrom(args: readonly string[], spec: ContractSpec): { apiKey?: string; apiKeys: Record<string, string> } {
  const names = new Set(spec.operations.flatMap((op) => op.security.flat()).filter((use) => use.kind === 'apiKey').flatMap((use) => [use.name, use.parameter ?? use.name]));
  const apiKeys: Record<string, string> = {};
  let apiKey: string | undefined;
  for (const arg of args) {
    const at = arg.indexOf('=');
    if (at > 0 && names.has(arg.slice(0, at))) apiKeys[arg.slice(0, at)] = arg.slice(at + 1);
    else apiKey = arg;
  }
  return { ...(apiKey !== undefined ? { apiKey } : {}), apiKeys };
}

const isLoaded = (spec: unknown): spec is ContractSpec => !!spec && typeof spec === 'object' && 'operations' in spec && 'registry' in spec;

/** Runs the contract tests and returns the verdict; never throws. */
export async function runContract(options: ContractOptions): Promise<ContractResult> {
  const started = Date.now();
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31);
  try {
    const unknown = (options.excludeChecks ?? []).filter((c) => !(CHECK_NAMES as readonly string[]).includes(c));
    if (unknown.length > 0) return { exitCode: 2, summary: `Unknown check(s): ${unknown.join(', ')} (known: ${CHECK_NAMES.join(', ')}).` };
    const source = options.spec ?? DEFAULT_SPEC;
    const spec = isLoaded(source) ? source : typeof source === 'string' ? await loadContractSpec(source) : contractSpecFrom(source);
    const token = options.token ?? (options.jwtSecret ? await mint(options.jwtSecret, seed, options.scopes ?? spec.scopes) : undefined);
    const given = apiKeysFrom(options.apiKeyArgs ?? [], spec);
    const apiKey = options.apiKey ?? given.apiKey;
    const credentials: Credentials = {
      ...(token !== undefined ? { bearer: token } : {}),
      ...(options.basic !== undefined ? { basic: options.basic } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
      apiKeys: { ...given.apiKeys, ...options.apiKeys },
    };
    const budgetLeft = Math.max(0, options.timeBudgetMs - (Date.now() - started));
    const report = await runContractTests(spec, {
      baseUrl: options.baseUrl,
      origin: options.origin ?? 'http://localhost:3000',
      token,
      credentials,
      seed,
      maxExamples: options.maxExamples ?? 100,
      timeBudgetMs: budgetLeft,
      ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
      ...(options.chains !== undefined ? { chains: options.chains } : {}),
      undeclaredErrors: options.undeclaredErrors ?? 'fail',
      excludeChecks: (options.excludeChecks ?? []) as CheckName[],
      ...(options.write ? { write: options.write } : {}),
    });
    return { exitCode: report.exitCode(), summary: report.summary(Date.now() - started), counts: report.counts(), report };
  } catch (error) {
    return { exitCode: 2, summary: `Runner error: ${(error as Error)?.message ?? String(error)}` };
  }
}
