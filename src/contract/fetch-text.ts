/**
 * The text of a document at a file path or an http(s) URL. A URL is retried with exponential
 * backoff (0.1 s doubling to 2 s) until its budget runs out, so a gateway can start beside an
 * upstream that is still starting and serve the contract that upstream publishes (`/openapi.json`).
 * Connection failures, timeouts, 408, 425, 429 and 5xx are retried; another status is final.
 */
import { readFile } from 'node:fs/promises';

/** A document that cannot be read, parsed or used; the message is one line naming the location. */
export class DocumentLoadError extends Error {
  override name = 'DocumentLoadError';
}

/** How a URL is fetched: the whole retry budget, and where the first retry is announced. */
export interface FetchOptions {
  /** Milliseconds to keep retrying (SPEC_FETCH_TIMEOUT_MS); 0 tries once. Each attempt gets 2 to 10 s. */
  readonly timeoutMs?: number;
  readonly log?: { info(message: string): void };
}

const FIRST_DELAY_MS = 100;
const MAX_DELAY_MS = 2000;
/** The longest one attempt may take: an upstream that accepts but never answers is retried. */
const ATTEMPT_MS = 10_000;
/** The least one attempt is given, even when the budget is (nearly) spent: a single try still has time to be answered. */
const MIN_ATTEMPT_MS = 2000;
const RETRIED_STATUSES = new Set([408, 425, 429]);
const TIMED_OUT = 'no answer (attempt timed out)';

/** Whether the location is fetched over HTTP rather than read from disk. */
export const isUrl = (location: string) => /^https?:\/\//i.test(location);

/** What a failed attempt got, in a few words: "connection refused", "HTTP 503 Service Unavailable". */
function failureOf(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND' || cause?.code === 'EAI_AGAIN') return `host not found (${cause.code})`;
  if (cause?.code === 'ECONNRESET' || cause?.code === 'UND_ERR_SOCKET') return 'connection reset';
  if ((error as Error)?.name === 'TimeoutError') return TIMED_OUT;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** One GET: the body of a 2xx, or what went wrong and whether trying again may help. */
async function attempt(url: string, timeoutMs: number): Promise<{ text: string } | { failure: string; final: boolean }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json, application/yaml;q=0.9, */*;q=0.5' } });
  } catch (error) {
    return { failure: failureOf(error), final: false };
  }
  if (response.ok) {
    try {
      return { text: await response.text() };
    } catch (error) {
      return { failure: failureOf(error), final: false };
    }
  }
  await response.body?.cancel();
  const failure = `HTTP ${response.status} ${response.statusText}`.trim();
  return { failure, final: !(response.status >= 500 || RETRIED_STATUSES.has(response.status)) };
}

/** The text at a URL, retried within the budget; a DocumentLoadError saying what it last got otherwise. */
async function textAtUrl(url: string, { timeoutMs = 30_000, log }: FetchOptions): Promise<string> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  let failure = '';
  for (let tries = 1, delay = FIRST_DELAY_MS; ; tries += 1, delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    const budget = Math.min(ATTEMPT_MS, Math.max(MIN_ATTEMPT_MS, deadline - Date.now()));
    const result = await attempt(url, budget);
    if ('text' in result) return result.text;
    if (result.final) throw new DocumentLoadError(`${url}: cannot be read: ${result.failure}`);
    // A last attempt cut short by the budget says less than what the attempts before it got.
    if (!(result.failure === TIMED_OUT && budget < ATTEMPT_MS && failure !== '')) failure = result.failure;
    const left = deadline - Date.now();
    if (left <= 0) {
      const waited = tries === 1 ? '' : ` after ${tries} attempts in ${Date.now() - started} ms (SPEC_FETCH_TIMEOUT_MS=${timeoutMs})`;
      throw new DocumentLoadError(`${url}: cannot be read: ${failure}${waited}`);
    }
    if (tries === 1) log?.info(`${url}: ${failure}; retrying for up to ${timeoutMs} ms (SPEC_FETCH_TIMEOUT_MS)`);
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
  }
}

/** The text of a file, or of an http(s) URL fetched with retries. */
export async function textAt(location: string, options: FetchOptions = {}): Promise<string> {
  if (isUrl(location)) return textAtUrl(location, options);
  try {
    return await readFile(location, 'utf8');
  } catch (error) {
    throw new DocumentLoadError(`${location}: cannot be read: ${(error as Error).message.split('\n')[0]}`);
  }
}
