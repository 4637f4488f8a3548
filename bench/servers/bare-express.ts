/** Contender (b): bare Express 5 with cors and express.json, and the same handler. */
import cors from 'cors';
import express from 'express';
import { BENCH_ORIGIN, createdTask, storedTask } from '../fixtures.js';
import { announce } from './announce.js';

const app = express();
app.disable('x-powered-by');
app.disable('etag');
app.use(cors({ origin: [BENCH_ORIGIN], credentials: true }));
app.use(express.json({ limit: '1mb' }));
app.get('/api/tasks/:taskId', (req, res) => {
  res.json(storedTask(req.params.taskId));
});
app.post('/api/tasks', (req, res) => {
  const task = createdTask(req.body);
  res.status(201).location(`/api/tasks/${task.id}`).json(task);
});
const server = app.listen(0, '127.0.0.1', () => announce(server));
