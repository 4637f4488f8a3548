/**
 * What every benchmark contender serves: the same in-memory task, the same token, the same
 * request bodies, so the only difference between contenders is the stack around the handler.
 */
import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';

/** The HS256 secret the benchmarked specgate servers are configured with (bench only). */
export const BENCH_SECRET = 'bench-secret-that-is-at-least-32-bytes-long';
/** The allowed Origin every benchmark request carries. */
export const BENCH_ORIGIN = 'http://localhost:5173';
/** A connection string for servers whose handlers never query (their pool never connects). */
export const UNUSED_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** The task id the GET workload reads. */
export const TASK_ID = '3f1c2a4e-8b7d-4c1e-9a6f-2d5e7b8c9a01';
/** The body the POST workload sends. */
export const CREATE_BODY = JSON.stringify({ title: 'Benchmark task', description: 'created under load' });

/** The in-memory task a GET answers with. */
export const storedTask = (id: string = TASK_ID) => ({
  id,
  title: 'Benchmark task',
  description: null,
  is_completed: false,
  created_at: '2026-11-20T09:15:00.000Z',
  updated_at: '2026-11-20T09:15:00.000Z',
});

/** The task a POST creates in memory. */
export const createdTask = (body: { title: string; description?: string | null }) => ({
  ...storedTask(randomUUID()),
  title: body.title,
  description: body.description ?? null,
});

/** A token valid for an hour, reused by every request (as a frontend reuses its session token). */
export const benchToken = () =>
  new SignJWT({ sub: 'bench-user' })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(new TextEncoder().encode(BENCH_SECRET));
