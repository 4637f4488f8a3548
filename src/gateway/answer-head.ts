/**
 * The head of an upstream's answer as the gateway writes it, built as one flat name/value list for
 * a single `writeHead`: the stage headers every answer carries (request id, CORS, rate limits), the
 * upstream's kept headers (src/gateway/headers.ts), an upstream header replacing a stage header of
 * the same name, and one Vary merging both. The same head `setHeader` one by one would make, without
 * Node's per-header bookkeeping (docs/performance.md, "Where the gateway's time goes").
 */
import { connectionNamed, keptResponseHeader as kept, mergedVary } from './headers.js';

const NO_NAMES: ReadonlySet<string> = new Set();

/** Whether the upstream sends, and the gateway keeps, a header of this stage header's name (the upstream's then wins). */
function named(upstream: Readonly<Record<string, string | string[] | undefined>>, name: string, dropped: ReadonlySet<string>): boolean {
  const lower = name.toLowerCase();
  return upstream[lower] !== undefined && kept(lower, dropped);
}

/**
 * The answer's head: `stage` (name/value pairs, any case), then the upstream's kept headers
 * (lower-cased, as undici gives them). `length`, when the body is a buffer written whole, becomes
 * the Content-Length if the upstream sent none (what Node computes for an implicit head).
 */
export function answerHead(stage: readonly string[] | undefined, upstream: Readonly<Record<string, string | string[] | undefined>>, length: number | undefined): (string | string[])[] {
  const head: (string | string[])[] = [];
  const dropped = upstream.connection === undefined ? NO_NAMES : new Set(connectionNamed(upstream.connection));
  const theirVary = upstream.vary;
  let varyAt = -1;
  let ours: string | undefined;
  if (stage !== undefined) {
    for (let i = 0; i < stage.length; i += 2) {
      const name = stage[i]!;
      if (name.length === 4 && name.toLowerCase() === 'vary') {
        // Kept in place, merged with the upstream's below (the last stage Vary wins, as setHeader would have it).
        if (varyAt < 0) {
          varyAt = head.length;
          head.push(name, '');
        }
        ours = stage[i + 1]!;
      } else if (!named(upstream, name, dropped)) head.push(name, stage[i + 1]!);
    }
  }
  let contentLength = false;
  for (const name in upstream) {
    const value = upstream[name];
    if (value === undefined || !kept(name, dropped)) continue;
    if (name === 'content-length') contentLength = true;
    head.push(name, value);
  }
  const vary = theirVary === undefined && ours !== undefined && !ours.includes(',') ? ours : mergedVary(ours, theirVary);
  if (vary === undefined) {
    if (varyAt >= 0) head.splice(varyAt, 2);
  } else if (varyAt >= 0) head[varyAt + 1] = vary;
  else head.push('Vary', vary);
  if (length !== undefined && !contentLength) head.push('Content-Length', String(length));
  return head;
}
