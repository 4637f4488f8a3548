/**
 * The in-memory idempotency-record store: one entry per key in a Map, for a single process (the
 * default without REDIS_URL). Expired entries (done records after their TTL, running ones after
 * their lease) are swept once a minute and never returned before that. The store is bounded:
 * at most `maxEntries` records and `maxBytes` accounted bytes (stored bodies and headers, keys,
 * a fixed overhead per entry); past either, the oldest records are evicted first, and a retry of
 * an evicted key runs again upstream (docs/gateway.md "Idempotency-Key").
 */
import { randomUUID } from 'node:crypto';
import type { Claim, ClaimResult, IdempotencyStore, KeyRecord, StoredOutcome } from './idempotency-store.js';

const SWEEP_MS = 60_000;
/** Bytes accounted for each entry besides its key and outcome (the Map slot, the record objects). */
const ENTRY_OVERHEAD = 256;

/** The caps of the in-memory store (IDEMPOTENCY_MAX_ENTRIES, IDEMPOTENCY_MAX_BYTES). */
export interface MemoryStoreLimits {
  readonly maxEntries: number;
  readonly maxBytes: number;
  /** Injectable for tests of expiry. */
  readonly now?: () => number;
}

/** The in-memory store, which also reports what it holds. */
export interface MemoryIdempotencyStore extends IdempotencyStore {
  /** The records held now and their accounted bytes. */
  usage(): { entries: number; bytes: number };
}

interface Entry {
  readonly record: KeyRecord;
  /** The claim's token while running; undefined once done. */
  readonly token: string | undefined;
  readonly expiresAt: number;
  readonly bytes: number;
}

/** The bytes an entry is accounted for. */
function sizeOf(key: string, record: KeyRecord): number {
  let size = ENTRY_OVERHEAD + key.length * 2 + record.fingerprint.length * 2;
  if (record.state === 'done') {
    const outcome = record.outcome;
    size += JSON.stringify(outcome.headers).length * 2;
    size += outcome.kind === 'answer' ? outcome.body.length : (outcome.detail.length + JSON.stringify(outcome.errors ?? []).length) * 2;
  }
  return size;
}

/** The defaults when no limits are given (IDEMPOTENCY_MAX_ENTRIES, IDEMPOTENCY_MAX_BYTES defaults). */
const DEFAULT_LIMITS: MemoryStoreLimits = { maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 };

/** Creates the in-memory store, bounded by `limits`. */
export function memoryIdempotencyStore({ maxEntries, maxBytes, now = Date.now }: MemoryStoreLimits = DEFAULT_LIMITS): MemoryIdempotencyStore {
  // A Map iterates in insertion order; every write deletes and re-inserts, so the first entry is the oldest.
  const entries = new Map<string, Entry>();
  let bytes = 0;
  const remove = (key: string) => {
    const entry = entries.get(key);
    if (entry === undefined) return;
    bytes -= entry.bytes;
    entries.delete(key);
  };
  const put = (key: string, record: KeyRecord, token: string | undefined, expiresAt: number) => {
    remove(key);
    const size = sizeOf(key, record);
    entries.set(key, { record, token, expiresAt, bytes: size });
    bytes += size;
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries && bytes <= maxBytes) break;
      remove(oldest);
    }
  };
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry === undefined || entry.expiresAt > now()) return entry;
    remove(key);
    return undefined;
  };
  const sweep = setInterval(() => {
    const t = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= t) remove(key);
  }, SWEEP_MS);
  sweep.unref();
  return {
    kind: 'memory',
    available: true,
    usage: () => ({ entries: entries.size, bytes }),
    async claim(key: string, fingerprint: string, leaseMs: number): Promise<ClaimResult> {
      const found = live(key);
      if (found !== undefined) return { claimed: false, record: found.record };
      const token = randomUUID();
      put(key, { state: 'running', fingerprint }, token, now() + leaseMs);
      return { claimed: true, claim: { key, token } };
    },
    async complete(claim: Claim, fingerprint: string, outcome: StoredOutcome, ttlMs: number): Promise<boolean> {
      if (live(claim.key)?.token !== claim.token) return false;
      put(claim.key, { state: 'done', fingerprint, outcome }, undefined, now() + ttlMs);
      return true;
    },
    async release(claim: Claim): Promise<void> {
      if (live(claim.key)?.token === claim.token) remove(claim.key);
    },
    async close() {
      clearInterval(sweep);
      entries.clear();
      bytes = 0;
    },
  };
}
