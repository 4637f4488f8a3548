/**
 * The body stage's duplicate-key check (src/pipeline/duplicate-keys.ts) on 1 KB JSON bodies,
 * against JSON.parse of the same text: one body whose strings hold no `:` (the native count
 * settles it) and one with a URL and a time in it (the string-aware scan runs). Interleaved rounds,
 * the minimum and median of 15 reported, in microseconds. Run: `npx tsx bench/duplicate-keys.ts`.
 */
import { duplicateKey } from '../src/pipeline/duplicate-keys.js';

const ROUNDS = 15;
const CALLS = 20_000;

function body(extra: Record<string, string>): string {
  const items: unknown[] = [];
  let text = '';
  for (let i = 0; text.length < 1000; i++) {
    items.push({ id: `task-${i}`, title: `Write the report ${i}`, done: i % 2 === 0, priority: i });
    text = JSON.stringify({ name: 'a body', ...extra, items });
  }
  return text;
}

const microseconds = (run: () => unknown) => {
  const start = performance.now();
  for (let i = 0; i < CALLS; i++) run();
  return ((performance.now() - start) / CALLS) * 1000;
};
const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: Number(sorted[0]!.toFixed(2)), median: Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(2)) };
};

for (const [name, text] of [
  ['no ":" in strings', body({})],
  ['a URL and a time in strings', body({ url: 'https://example.com:8443/a', at: '2026-12-06T12:00:00Z' })],
] as const) {
  const value = JSON.parse(text);
  const parse: number[] = [];
  const check: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    parse.push(microseconds(() => JSON.parse(text)));
    check.push(microseconds(() => duplicateKey(text, value)));
  }
  process.stdout.write(`${JSON.stringify({ body: name, bytes: text.length, jsonParseUs: summary(parse), duplicateCheckUs: summary(check) })}\n`);
}
