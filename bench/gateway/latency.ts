/**
 * Sub-millisecond latency at a fixed concurrency: `connections` keep-alive clients (undici) each
 * send the next request as soon as the last answer is read, timing each with hrtime. autocannon
 * reports whole milliseconds, too coarse for an added latency of under one.
 */
import { Pool } from 'undici';

/** Latency percentiles in milliseconds, with microsecond resolution. */
export interface Latency {
  readonly p50: number;
  readonly p99: number;
  readonly count: number;
}

/** Measures `path` on `origin` for `seconds` with `connections` concurrent requests. */
export async function latency(origin: string, path: string, headers: Record<string, string>, connections: number, seconds: number): Promise<Latency> {
  const pool = new Pool(origin, { connections });
  const samples: number[] = [];
  const until = performance.now() + seconds * 1000;
  const worker = async () => {
    while (performance.now() < until) {
      const started = process.hrtime.bigint();
      const { statusCode, body } = await pool.request({ method: 'GET', path, headers });
      await body.dump();
      if (statusCode !== 200) throw new Error(`status ${statusCode}`);
      samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  await pool.close();
  samples.sort((a, b) => a - b);
  const at = (q: number) => samples[Math.min(samples.length - 1, Math.floor(q * samples.length))]!;
  return { p50: at(0.5), p99: at(0.99), count: samples.length };
}
