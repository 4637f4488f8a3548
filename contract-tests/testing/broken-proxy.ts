/**
 * Deliberately broken servers for the runner's self-tests: a node:http proxy in front of the
 * real app that breaks one promise of the contract, so each check is seen to fire by name.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The ways a proxy can break the contract. */
export type Breakage =
  | 'drops-cors-on-500'
  | 'wrong-field-type'
  | '500-on-bad-input'
  | 'ignores-token'
  | 'serves-deleted-task'
  | 'undeclared-status';

/** A response on its way back to the client. */
interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A running broken server. */
export interface BrokenServer {
  readonly url: string;
  close(): Promise<void>;
}

const readBody = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length > 0 ? Buffer.concat(chunks).toString('utf8') : undefined;
};

const internalError = (answer: Answer): Answer => {
  const requestId = answer.headers['x-request-id'] ?? 'unknown';
  const body = { detail: 'An unexpected error occurred.', status_code: 500, error_type: 'internal_error', request_id: requestId };
  return { ...answer, status: 500, body: JSON.stringify(body) };
};

/** Starts a proxy to `upstream` with one breakage; `token` is what ignores-token substitutes. */
export async function startBrokenServer(upstream: string, breakage: Breakage, token: string): Promise<BrokenServer> {
  const deleted = new Map<string, string>();
  const lastRead = new Map<string, string>();
  const server = createServer(async (req, res) => {
    const body = await readBody(req);
    const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'content-length', 'connection'].includes(k))) as Record<string, string>;
    if (breakage === 'ignores-token' && headers.authorization !== `Bearer ${token}`) headers.authorization = `Bearer ${token}`;
    const upstreamResponse = await fetch(upstream + req.url, { method: req.method, headers, ...(body === undefined ? {} : { body }) });
    const passed: Record<string, string> = {};
    upstreamResponse.headers.forEach((value, name) => {
      if (!['content-length', 'transfer-encoding', 'connection', 'keep-alive'].includes(name)) passed[name] = value;
    });
    let answer: Answer = { status: upstreamResponse.status, headers: passed, body: await upstreamResponse.text() };
    const path = req.url ?? '';
    switch (breakage) {
      case '500-on-bad-input':
        if (answer.status === 400) answer = internalError(answer);
        break;
      case 'drops-cors-on-500':
        if (answer.status === 400) {
          answer = internalError(answer);
          answer.headers = Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !k.startsWith('access-control-')));
        }
        break;
      case 'wrong-field-type':
        answer.body = answer.body.replace(/"is_completed":(true|false)/g, '"is_completed":"$1"');
        break;
      case 'undeclared-status':
        if (answer.status === 201) answer.status = 200;
        break;
      case 'serves-deleted-task':
        if (req.method === 'GET' && answer.status === 200) lastRead.set(path, answer.body);
        if (req.method === 'DELETE' && answer.status === 204 && lastRead.has(path)) deleted.set(path, lastRead.get(path)!);
        if (req.method === 'GET' && answer.status === 404 && deleted.has(path)) {
          answer = { status: 200, headers: { ...answer.headers, 'content-type': 'application/json; charset=utf-8' }, body: deleted.get(path)! };
        }
        break;
      default:
        break;
    }
    res.writeHead(answer.status, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) });
    res.end(answer.body);
  });
  server.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
