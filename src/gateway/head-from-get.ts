/**
 * HEAD for every GET operation whatever the backend does (RFC 9110 §9.3.2): when the upstream
 * refuses HEAD with 405 or 501 (FastAPI does not route HEAD), the gateway sends the GET instead
 * and answers with its status and headers, the body read and dropped, and Content-Length the
 * length of the body a GET would have received.
 */
import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';

/** Whether a HEAD answer means the upstream does not do HEAD, so the GET should answer it. */
export const refusesHead = (method: string | undefined, status: number): boolean => method === 'HEAD' && (status === 405 || status === 501);

/** Counts the bytes of a body, reading it to its end. */
async function lengthOf(body: Readable): Promise<number> {
  let length = 0;
  for await (const chunk of body) length += (chunk as Buffer).length;
  return length;
}

/**
 * The answer to a HEAD from `sendGet`'s answer (undefined when the client went away): an error
 * answer as it is (translated like any other; Node sends no body on HEAD), any other with an empty
 * body and the GET body's Content-Length.
 */
export async function headFromGet(refused: Dispatcher.ResponseData, sendGet: () => Promise<Dispatcher.ResponseData | undefined>): Promise<Dispatcher.ResponseData | undefined> {
  refused.body.resume();
  const answer = await sendGet();
  if (answer === undefined || answer.statusCode >= 400) return answer;
  // Read to the end (not destroyed), so the pooled connection is kept for the next request.
  const length = await lengthOf(answer.body);
  const headers: Dispatcher.ResponseData['headers'] = { ...answer.headers, 'content-length': String(length) };
  delete headers['transfer-encoding'];
  return { ...answer, headers, body: Readable.from([]) as Dispatcher.ResponseData['body'] };
}
