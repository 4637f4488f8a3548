/** Contender (a): bare node:http with the same handler, CORS headers and JSON parsing. */
import { createServer } from 'node:http';
import { BENCH_ORIGIN, createdTask, storedTask } from '../fixtures.js';
import { announce } from './announce.js';

const server = createServer((req, res) => {
  res.setHeader('Vary', 'Origin');
  if (req.headers.origin === BENCH_ORIGIN) {
    res.setHeader('Access-Control-Allow-Origin', BENCH_ORIGIN);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
  }
  const match = /^\/api\/tasks\/([^/]+)$/.exec(req.url ?? '');
  if (req.method === 'GET' && match) {
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify(storedTask(match[1])));
    return;
  }
  if (req.method === 'POST' && req.url === '/api/tasks') {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const task = createdTask(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res.statusCode = 201;
      res.setHeader('Location', `/api/tasks/${task.id}`);
      res.setHeader('Content-Type', 'application/json');
      res.end(JSON.stringify(task));
    });
    return;
  }
  res.statusCode = 404;
  res.end();
});
server.listen(0, '127.0.0.1', () => announce(server));
// Exit normally on SIGTERM, so that `node --cpu-prof` (bench/profile.ts) writes its profile.
process.once('SIGTERM', () => process.exit(0));
