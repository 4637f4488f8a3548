/**
 * What becomes of an upstream's answer: an error answer is translated into the uniform body
 * (UPSTREAM_ERRORS=normalize), any other is checked against the contract as its operation's
 * validation mode says (src/gateway/response-validation.ts: a 502, or a log line, a metric and —
 * outside production — the X-Specgate-Contract-Violation header), and the answer is written with
 * the gateway's headers.
 */
import type { ServerResponse } from 'node:http';
import type { UpstreamConfig } from '../config/index.js';
import type { ValidatorSet } from '../contract/operation-validators.js';
import type { OperationInfo } from '../contract/spec.js';
import { badGateway } from '../errors.js';
import { describeError } from '../log-safe.js';
import type { Logger } from '../logger.js';
import { applyHeaders, stateOf } from '../pipeline/state.js';
import { answerHead } from './answer-head.js';
import type { UpstreamAnswer, UpstreamObserver } from './forward.js';
import { mergedVary, responseHeaderFilter } from './headers.js';
import { bodyViolation, headViolation, needsBody } from './response-contract.js';
import { CONTRACT_VIOLATION_HEADER, violationHeader, type ResponseValidationModes } from './response-validation.js';
import { translateUpstreamError } from './translate.js';
import type { UpstreamHead } from './upstream-call.js';
import { UpstreamMissing } from './upstream-missing.js';

/** The most of an upstream error body read to translate it. */
const MAX_ERROR_BODY = 64 * 1024;
/** The most of a JSON answer buffered to check it against the contract. */
const MAX_CHECKED_BODY = 10 * 1024 * 1024;

const single = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** What checking one answer needs besides the answer. */
export interface AnswerContext {
  readonly op: OperationInfo;
  readonly method: string | undefined;
  readonly origin: string;
  readonly config: UpstreamConfig;
  /** Validators with responses compiled, or undefined when responses are not checked. */
  readonly validators: ValidatorSet | undefined;
  readonly requiredHeaders: ReadonlyMap<string, readonly string[]> | undefined;
  readonly observer: UpstreamObserver | undefined;
  /** The request's state, whose logger is made only when a line is written (src/pipeline/request-id.ts). */
  readonly logs: { readonly log: Logger };
  /** What a violation does, per operation, and whether it is announced in a header. */
  readonly modes: ResponseValidationModes;
}

/** The answer to hand on, its body buffered when it was checked; throws the translated error, or 502 when it breaks the contract (enforce). */
export async function checkedAnswer(answer: UpstreamHead, { op, method, origin, config, validators, requiredHeaders, observer, logs, modes }: AnswerContext): Promise<UpstreamAnswer> {
  const { statusCode: status, headers } = answer;
  if (config.mockMissing === true && (status === 404 || status === 501)) {
    answer.body.discard();
    throw new UpstreamMissing(op.operationId, status);
  }
  const contentType = single(headers['content-type']);
  if (status >= 400 && config.errors === 'normalize') {
    const bytes = await answer.body.collect(MAX_ERROR_BODY).catch(() => Buffer.alloc(0));
    throw translateUpstreamError(status, contentType, bytes, headers);
  }
  let buffered: Buffer | undefined;
  const mode = modes.of(op.operationId);
  const checks = mode === 'off' ? undefined : validators?.get(op.operationId);
  if (checks && (status < 400 || config.errors === 'pass')) {
    // A HEAD answer's headers describe the body a GET would get (RFC 9110 §9.3.2): checked as such, never
    // read; one without a length (Node's own HEAD answers) has a body when it names a Content-Type.
    const framed = headers['transfer-encoding'] !== undefined || (headers['content-length'] !== undefined && headers['content-length'] !== '0');
    const unframedHead = method === 'HEAD' && headers['transfer-encoding'] === undefined && headers['content-length'] === undefined;
    const hasBody = status !== 204 && status !== 304 && (framed || (unframedHead && contentType !== undefined));
    const head = { status, contentType, hasBody, headers };
    const schemaPaths: string[] = [];
    let violation = headViolation(checks, op, head, requiredHeaders);
    if (violation === undefined && method !== 'HEAD' && needsBody(checks, head)) {
      try {
        buffered = await answer.body.collect(MAX_CHECKED_BODY);
      } catch (error) {
        observer?.failed(origin, 'broken_body');
        throw badGateway(`The upstream's answer to ${op.operationId} broke off.`, error);
      }
      violation = bodyViolation(checks, status, buffered, schemaPaths);
    }
    if (violation !== undefined) {
      logs.log.warn({ operationId: op.operationId, status, violation, schemaPaths, mode }, 'upstream answer breaks the contract');
      observer?.failed(origin, 'contract');
      observer?.violated?.(op.operationId);
      if (mode === 'enforce') {
        answer.body.discard();
        throw badGateway(`The upstream's answer to ${op.operationId} breaks the contract: ${violation}.`);
      }
      if (modes.announce) return { status, headers: { ...headers, [CONTRACT_VIOLATION_HEADER]: violationHeader(op.operationId, status, violation) }, body: buffered ?? answer.body };
    }
  }
  return { status, headers, body: buffered ?? answer.body };
}

/** The head set header by header (the path before answerHead); throws what setHeader throws. */
function writeHeadSlowly(res: ServerResponse, status: number, headers: UpstreamAnswer['headers']): void {
  applyHeaders(res);
  res.statusCode = status;
  const keep = responseHeaderFilter(headers);
  for (const [name, value] of Object.entries(headers)) if (value !== undefined && keep(name)) res.setHeader(name, value);
  const vary = mergedVary(res.getHeader('vary') as string | undefined, headers.vary);
  if (vary !== undefined) res.setHeader('Vary', vary);
}

/** Writes an answer: the gateway's own headers, the upstream's kept ones (Vary merged), then the body, streamed or whole. */
export function writeAnswer(res: ServerResponse, { status, headers, body }: UpstreamAnswer): void {
  const whole = Buffer.isBuffer(body);
  // Node adds no Content-Length to a HEAD answer, a 204, a 304 or a 1xx (it has no body).
  const bodyless = status === 204 || status === 304 || status < 200 || res.req?.method === 'HEAD';
  const head = answerHead(stateOf(res)?.headers, headers, whole && !bodyless ? body.length : undefined);
  try {
    res.writeHead(status, head);
  } catch (error) {
    // A header Node refuses: nothing was written, so the answer fails as setHeader would have made it fail.
    if (res.headersSent) throw error;
    writeHeadSlowly(res, status, headers);
  }
  if (whole) return void res.end(body);
  // Streamed as it arrives; a client that went away gives the upstream answer up, and only a failure on the upstream's side is worth a line.
  body.pipeTo(res, (error) => {
    stateOf(res).log.warn({ operationId: stateOf(res).operation?.operationId, cause: describeError(error) }, 'upstream body broke off or stalled; connection ended');
  });
}
