/**
 * The worker thread of src/serve/reload-check.ts: it keeps its own copy of the running document
 * and, for each candidate posted to it, answers the candidate's contract digest and — when it
 * differs — the breaking-change decision, as plain data; `commit` makes the last candidate the
 * running document. Everything here runs off the main thread, so requests keep being served.
 */
import { parentPort } from 'node:worker_threads';
import type { OpenApiDocument } from '../contract/spec.js';
import { contractDigest, decideReload } from './reload-decision.js';
import type { CheckReply, CheckRequest } from './reload-check.js';

let running: { document: OpenApiDocument; digest: string } | undefined;
let candidate: { document: OpenApiDocument; digest: string } | undefined;

parentPort!.on('message', (request: CheckRequest) => {
  if (request.type === 'commit') {
    if (candidate) running = candidate;
    candidate = undefined;
    return;
  }
  let reply: CheckReply;
  try {
    if (request.running) running = { document: request.running, digest: contractDigest(request.running) };
    const digest = contractDigest(request.next);
    candidate = { document: request.next, digest };
    reply = digest === running!.digest ? { id: request.id, digest } : { id: request.id, digest, decision: decideReload(running!.document, request.next, request.allowBreaking) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
