/** The upstream every gateway contender stands in front of: bare node:http answering a fixed task as JSON. */
import { createServer } from 'node:http';
import { storedTask } from '../fixtures.js';
import { announce } from '../servers/announce.js';

const body = JSON.stringify(storedTask());
const server = createServer((_req, res) => {
  res.setHeader('Content-Type', 'application/json');
  res.setHeader('Content-Length', Buffer.byteLength(body));
  res.end(body);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => announce(server));
