/**
 * Trace and span ids, drawn from a pool of random bytes filled 4 KiB at a time (far cheaper per
 * request than the SDK's four Math.random calls and a Buffer write per id), and the SDK's id
 * generator: it hands the SERVER span the trace id the head sampler already decided on.
 */
import { randomFillSync } from 'node:crypto';
import type { IdGenerator } from '@opentelemetry/sdk-trace';

const pool = Buffer.allocUnsafe(4096);
let used = pool.length;
let lastKey = 0;

/** Takes `bytes` fresh bytes of the pool, never all zeros (an invalid W3C id); returns their offset. */
function take(bytes: number): number {
  for (;;) {
    if (used + bytes > pool.length) {
      randomFillSync(pool);
      used = 0;
    }
    const start = used;
    used += bytes;
    for (let i = start; i < used; i++) if (pool[i] !== 0) return start;
  }
}

/** A new 32-hex-digit trace id; traceIdKey() then answers its sampling key. */
export function newTraceId(): string {
  const at = take(16);
  // What TraceIdRatioBasedSampler computes from the hex (its _accumulate): the XOR of the id's four big-endian 32-bit words.
  lastKey = (pool.readUInt32BE(at) ^ pool.readUInt32BE(at + 4) ^ pool.readUInt32BE(at + 8) ^ pool.readUInt32BE(at + 12)) >>> 0;
  return pool.toString('hex', at, at + 16);
}

/** The sampling key of the id newTraceId() returned last (the tracing stage reads it right away). */
export const traceIdKey = (): number => lastKey;

/** A new 16-hex-digit span id. */
export function newSpanId(): string {
  const at = take(8);
  return pool.toString('hex', at, at + 8);
}

/**
 * The tracer provider's id generator. A root SERVER span must carry the trace id its sampling
 * decision was made on (traceidratio decides on the id), so the stage sets `next` right before
 * the synchronous startSpan that takes it; any other span gets fresh ids.
 */
export class PresetIdGenerator implements IdGenerator {
  next: string | undefined = undefined;

  generateTraceId(): string {
    const preset = this.next;
    if (preset === undefined) return newTraceId();
    this.next = undefined;
    return preset;
  }

  generateSpanId(): string {
    return newSpanId();
  }
}
