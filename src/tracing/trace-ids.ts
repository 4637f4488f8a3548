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

/** The two hex digits of each byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Eight bytes of the pool from `at` as 16 hex digits (a table lookup per byte: no call into Buffer's native hex encoder). */
function hex8(at: number): string {
  const p = pool;
  return HEX[p[at]!]! + HEX[p[at + 1]!]! + HEX[p[at + 2]!]! + HEX[p[at + 3]!]! + HEX[p[at + 4]!]! + HEX[p[at + 5]!]! + HEX[p[at + 6]!]! + HEX[p[at + 7]!]!;
}

/** The big-endian 32-bit word of the pool at `at`. */
const word = (at: number): number => ((pool[at]! << 24) | (pool[at + 1]! << 16) | (pool[at + 2]! << 8) | pool[at + 3]!) >>> 0;

/** A new 32-hex-digit trace id; traceIdKey() then answers its sampling key. */
export function newTraceId(): string {
  const at = take(16);
  // What TraceIdRatioBasedSampler computes from the hex (its _accumulate): the XOR of the id's four big-endian 32-bit words.
  lastKey = (word(at) ^ word(at + 4) ^ word(at + 8) ^ word(at + 12)) >>> 0;
  return hex8(at) + hex8(at + 8);
}

/** The sampling key of the id newTraceId() returned last (the tracing stage reads it right away). */
export const traceIdKey = (): number => lastKey;

/** A new 16-hex-digit span id. */
export function newSpanId(): string {
  return hex8(take(8));
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
