/**
 * What a reload decides before it builds anything — the new document's contract digest and the
 * breaking-change check against the running one (src/serve/reload-decision.ts) — done in a worker
 * thread (src/serve/reload-check-worker.ts), so the request path keeps going while a large
 * document is digested and diffed (seconds for GitHub's on a busy machine). Documents are plain
 * JSON and the findings come back as data. The worker is started by a reload and ended once idle
 * for WORKER_IDLE_MS; when it cannot start or dies, the check runs on the main thread from then on.
 */
import { Worker } from 'node:worker_threads';
import type { OpenApiDocument } from '../contract/spec.js';
import { contractDigest, decideReload, type ReloadDecision } from './reload-decision.js';

/** A message to the worker: check a candidate (with the running document the first time), or make the last candidate the running one. */
export type CheckRequest = { type: 'check'; id: number; next: OpenApiDocument; running?: OpenApiDocument; allowBreaking: boolean } | { type: 'commit' };

/** The worker's answer: the candidate's digest and, when it differs from the running one, the decision; or why it could not. */
export type CheckReply = { id: number; digest: string; decision?: ReloadDecision } | { id: number; error: string };

/** What the check found: `decision` is absent when the document is the one running. */
export interface CheckResult {
  readonly digest: string;
  readonly decision: ReloadDecision | undefined;
}

/** A reloader's check; one call at a time. */
export interface ReloadCheck {
  /** Digests `next` and decides whether it may replace the running document; rejects when the document cannot be compared. */
  check(next: OpenApiDocument, allowBreaking: boolean): Promise<CheckResult>;
  /** The last checked document is now the running one. */
  commit(): void;
}

/** Whether this runs from source (tsx): the worker then registers tsx itself, as a worker thread does not inherit the loader. */
const fromSource = import.meta.url.endsWith('.ts');
/** The worker's module beside this one (.ts from source, .js in dist/). */
const workerUrl = new URL(`./reload-check-worker${fromSource ? '.ts' : '.js'}`, import.meta.url);

/** Starts the worker thread. */
const startWorker = () =>
  fromSource
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(workerUrl.href)}); });`, { eval: true })
    : new Worker(workerUrl);

/** The check on the main thread: the fallback when no worker can run. */
function inProcess(running: OpenApiDocument) {
  let runningDigest: string | undefined;
  let candidate: OpenApiDocument | undefined;
  return {
    check(next: OpenApiDocument, allowBreaking: boolean): CheckResult {
      runningDigest ??= contractDigest(running);
      const digest = contractDigest(next);
      candidate = next;
      return { digest, decision: digest === runningDigest ? undefined : decideReload(running, next, allowBreaking) };
    },
    commit() {
      if (candidate) (running = candidate), (runningDigest = undefined);
    },
  };
}

/** How long the worker is kept after a check: reloads in a burst (`--watch` on a file being edited) share it. */
export const WORKER_IDLE_MS = 60_000;

/** The check of a process now serving `running`. */
export function reloadCheck(running: OpenApiDocument): ReloadCheck {
  let worker: Worker | undefined;
  /** Whether the worker has the running document (it is sent with the first check). */
  let seeded = false;
  let fallback: ReturnType<typeof inProcess> | undefined;
  let last: OpenApiDocument = running;
  let ids = 0;
  let idle: NodeJS.Timeout | undefined;
  const start = () => {
    const started = startWorker();
    started.unref();
    const gone = () => {
      if (worker === started) worker = undefined;
    };
    started.once('error', gone).once('exit', gone);
    return started;
  };
  return {
    async check(next, allowBreaking) {
      if (fallback) return fallback.check(next, allowBreaking);
      clearTimeout(idle);
      // An idle worker is ended, so its copy of the document does not stay in memory; the next check starts another.
      const idleAfter = () => {
        const ending = worker;
        idle = setTimeout(() => ending === worker && (void ending?.terminate(), (worker = undefined)), WORKER_IDLE_MS).unref();
      };
      try {
        if (!worker) (worker = start()), (seeded = false);
        const id = ++ids;
        const current = worker;
        const reply = await new Promise<CheckReply>((resolve, reject) => {
          const onMessage = (message: CheckReply) => message.id === id && (cleanup(), resolve(message));
          const onGone = (error?: unknown) => (cleanup(), reject(error instanceof Error ? error : new Error('the reload check worker exited')));
          const cleanup = () => current.off('message', onMessage).off('error', onGone).off('exit', onGone);
          current.on('message', onMessage).once('error', onGone).once('exit', onGone);
          current.postMessage({ type: 'check', id, next, allowBreaking, ...(seeded ? {} : { running }) } satisfies CheckRequest);
          seeded = true;
        });
        last = next;
        idleAfter();
        if ('error' in reply) throw new Error(reply.error);
        return { digest: reply.digest, decision: reply.decision };
      } catch (error) {
        if (worker) throw error;
        // No worker (it could not start, or died): the check runs here from now on.
        fallback = inProcess(running);
        return fallback.check(next, allowBreaking);
      }
    },
    commit() {
      running = last;
      if (fallback) fallback.commit();
      else worker?.postMessage({ type: 'commit' } satisfies CheckRequest);
    },
  };
}
