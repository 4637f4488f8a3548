/**
 * The upstream every gateway contender stands in front of: bare node:http answering a fixed task as
 * JSON with its ETag, an answer that keeps the contract (getTask requires the ETag header).
 */
import { createServer } from 'node:http';
import { etagOf } from '../../src/http/conditional.js';
import { storedTask } from '../fixtures.js';
import { announce } from '../servers/announce.js';

const task = storedTask();
const body = JSON.stringify(task);
const etag = etagOf(task);
const server = createServer((_req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.setHeader('ETag', etag);
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => announce(server));
