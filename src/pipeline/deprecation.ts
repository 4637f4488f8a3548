/**
 * The deprecation stage, right after route: a call to an operation marked `deprecated: true`, or
 * one that sends a deprecated parameter, is answered — successes and errors alike, since the
 * headers go into the request state — with `Deprecation` (RFC 9745), `Sunset` (RFC 8594) and
 * `Link: <…>; rel="deprecation"` as src/contract/deprecations.ts reads them from the contract.
 * Each such call is counted per operation (specgate_deprecated_calls_total), and the first one of
 * each authenticated caller per operation in this process is logged with a hash of the caller,
 * never the caller itself. With SUNSET_ENFORCE=true an operation past its sunset answers 410 gone.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { deprecationsOf, type DeprecatedParameter, type OperationDeprecation } from '../contract/deprecations.js';
import type { Contract } from '../contract/spec.js';
import { gone } from '../errors.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics/metrics.js';
import type { RequestStage } from './stage.js';
import { stateOf } from './state.js';

/** How many (operation, caller) pairs a process remembers having logged; past it, no new caller is logged. */
const MAX_LOGGED_CALLERS = 10_000;
/** The (operation, caller hash) pairs already logged, for the whole process (across contract reloads). */
const logged = new Set<string>();

/** What the stage needs besides the contract. */
export interface DeprecationOptions {
  readonly log: Logger;
  readonly metrics: Metrics | undefined;
  /** SUNSET_ENFORCE: answer 410 gone after an operation's `x-sunset`. */
  readonly sunsetEnforce: boolean;
}

/** The first 12 hex digits of the caller's sha256: enough to tell callers apart in a log, not to name them. */
export const callerHash = (caller: string) => createHash('sha256').update(caller).digest('hex').slice(0, 12);

/** Whether the request carries the parameter (a path parameter always does). */
function sent(req: IncomingMessage, search: string | undefined, param: DeprecatedParameter): boolean {
  switch (param.in) {
    case 'query':
      return search !== undefined && new URLSearchParams(search).has(param.name);
    case 'header':
      return req.headers[param.name.toLowerCase()] !== undefined;
    case 'cookie':
      return (req.headers.cookie ?? '').split(';').some((pair) => pair.trim().split('=', 1)[0] === param.name);
    default:
      return true;
  }
}

/** Logs the caller's first deprecated call to the operation, once the caller is known (after authenticate). */
function logCaller(res: ServerResponse, operationId: string, log: Logger): void {
  res.once('finish', () => {
    const caller = stateOf(res).userId;
    if (caller === undefined || logged.size >= MAX_LOGGED_CALLERS) return;
    const hash = callerHash(caller);
    const key = `${operationId}\0${hash}`;
    if (logged.has(key)) return;
    logged.add(key);
    log.info({ operation: operationId, caller: hash }, `deprecated operation ${operationId} called by caller ${hash}`);
  });
}

/** Creates the deprecation stage; a contract with nothing deprecated gets a stage that only calls next(). */
export function deprecation(contract: Contract, { log, metrics, sunsetEnforce }: DeprecationOptions): RequestStage {
  const byOperation: Map<string, OperationDeprecation> = deprecationsOf(contract);
  const counters = new Map([...byOperation.keys()].map((id) => [id, metrics?.deprecatedCalls.series({ operation: id })]));
  return function deprecationStage(req, res, next) {
    const state = stateOf(res);
    const operationId = state.operation?.operationId;
    const found = operationId === undefined ? undefined : byOperation.get(operationId);
    if (found === undefined) return next();
    // One field of each name per answer: the operation's own, else the first deprecated parameter's.
    const headers: string[] = found.operation ? [...found.operation.headers] : [];
    for (const param of found.parameters) {
      if (!sent(req, state.search, param)) continue;
      for (let i = 0; i < param.notice.headers.length; i += 2) {
        const name = param.notice.headers[i]!;
        if (!headers.some((value, j) => j % 2 === 0 && value === name)) headers.push(name, param.notice.headers[i + 1]!);
      }
    }
    if (headers.length === 0) return next();
    state.headers.push(...headers);
    counters.get(operationId!)?.inc();
    logCaller(res, operationId!, log);
    const sunsetAt = found.operation?.sunsetAt;
    if (sunsetEnforce && sunsetAt !== undefined && Date.now() >= sunsetAt) return next(gone(operationId!, found.operation!.sunset!));
    next();
  };
}
