/**
 * HEAD for every GET operation whatever the backend does (RFC 9110 §9.3.2): when the upstream
 * refuses HEAD with 405 or 501 (FastAPI does not route HEAD), the gateway sends the GET instead
 * and answers with its status and headers, the body read and dropped, and Content-Length the
 * length of the body a GET would have received.
 */
import type { UpstreamHead } from './upstream-call.js';

/** Whether a HEAD answer means the upstream does not do HEAD, so the GET should answer it. */
export const refusesHead = (method: string | undefined, status: number): boolean => method === 'HEAD' && (status === 405 || status === 501);

const ignore = () => {};

/**
 * The answer to a HEAD from `sendGet`'s answer (undefined when the client went away): an error
 * answer as it is (translated like any other; Node sends no body on HEAD), any other with an empty
 * body and the GET body's Content-Length.
 */
export async function headFromGet(refused: UpstreamHead, sendGet: () => Promise<UpstreamHead | undefined>): Promise<UpstreamHead | undefined> {
  refused.body.drain().catch(ignore);
  const answer = await sendGet();
  if (answer === undefined || answer.statusCode >= 400) return answer;
  // Read to the end (not given up), so the pooled connection is kept for the next request.
  const length = await answer.body.drain();
  const headers: UpstreamHead['headers'] = { ...answer.headers, 'content-length': String(length) };
  delete headers['transfer-encoding'];
  return { ...answer, headers, body: answer.body };
}
