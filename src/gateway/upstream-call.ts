/**
 * One upstream request over undici's `dispatch()` API (its handler callbacks, no `request()`
 * Readable): the answer's head resolves a promise, and its body is either collected in full (to
 * check it against the contract, translate it or keep it for an Idempotency-Key) or written
 * straight to the client with backpressure. Chunks that arrive before the consumer decides (the head
 * and a small body usually come in one socket read) are held, so nothing is lost either way.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { Dispatcher } from 'undici';

/** An upstream answer's head, with its body still to consume. */
export interface UpstreamHead {
  readonly statusCode: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: UpstreamBody;
}

/** The body of an upstream answer: collect it, stream it to the client, or drop it. */
export interface UpstreamBody {
  /** The whole body; rejects when it breaks off, or when it passes `limit` bytes (the connection is then closed). */
  collect(limit: number): Promise<Buffer>;
  /** The whole body, or undefined (nothing lost: it can still be streamed) when it passes `limit` bytes. */
  collectUpTo(limit: number): Promise<Buffer | undefined>;
  /** Writes the body to `res` and ends it; `broke` is told when the upstream's side fails, after `res` is destroyed. */
  pipeTo(res: ServerResponse, broke: (error: Error) => void): void;
  /** Reads the body to its end and drops it, so the pooled connection is kept; resolves with its length in bytes. */
  drain(): Promise<number>;
  /** Gives the answer up: the upstream connection is closed. */
  discard(): void;
}

/** The most of a body held while nobody consumes it; past it the upstream connection is paused. */
const HOLD_BYTES = 64 * 1024;

/** What the body's consumer is doing. */
const enum Mode {
  Holding,
  Collecting,
  Streaming,
  Draining,
}

/** The error undici is aborted with when the client went away (sendUpstream tells it from a failure by `aborted`). */
class ClientGoneError extends Error {
  readonly code = 'UND_ERR_ABORTED';
}

/** The handler of one dispatched request, and the body of its answer. */
export class UpstreamCall implements Dispatcher.DispatchHandler, UpstreamBody {
  /** The head, or the failure before it. */
  readonly head: Promise<UpstreamHead>;
  /** Whether abort() was called (the client went away). */
  aborted = false;
  private resolveHead!: (head: UpstreamHead) => void;
  private rejectHead!: (error: Error) => void;
  private controller: Dispatcher.DispatchController | undefined;
  private started = false;
  private mode = Mode.Holding;
  private chunks: Buffer[] = [];
  private size = 0;
  private ended = false;
  private failure: Error | undefined;
  private limit = Infinity;
  private settle: ((error: Error | undefined) => void) | undefined;
  private res: ServerResponse | undefined;

  constructor() {
    this.head = new Promise((resolve, reject) => {
      this.resolveHead = resolve;
      this.rejectHead = reject;
    });
  }

  /** The client went away: the request (or its answer) is given up. */
  abort(): void {
    if (this.aborted || this.ended || this.failure !== undefined) return;
    this.aborted = true;
    this.controller?.abort(new ClientGoneError('The client went away.'));
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.aborted) controller.abort(new ClientGoneError('The client went away.'));
  }

  onResponseStart(_controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    if (statusCode < 200) return;
    this.started = true;
    this.resolveHead({ statusCode, headers, body: this });
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.mode === Mode.Streaming) {
      if (!this.res!.write(chunk)) controller.pause();
      return;
    }
    this.size += chunk.length;
    if (this.mode === Mode.Draining) return;
    this.chunks.push(chunk);
    if (this.mode === Mode.Collecting) {
      if (this.size > this.limit) this.finish(undefined);
    } else if (this.size > HOLD_BYTES) controller.pause();
  }

  onResponseEnd(): void {
    this.ended = true;
    if (this.mode === Mode.Streaming) this.res!.end();
    else this.finish(undefined);
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    if (!this.started) return this.rejectHead(error);
    this.failure = error;
    if (this.mode !== Mode.Streaming) return this.finish(error);
    const settle = this.settle;
    this.settle = undefined;
    // The client went away: nothing of the upstream's to tell.
    if (this.aborted) this.res!.destroy();
    else settle?.(error);
  }

  /** Tells a waiting collector how the body ended: whole, over its limit, or broken off. */
  private finish(error: Error | undefined): void {
    const settle = this.settle;
    if (settle === undefined) return;
    this.settle = undefined;
    settle(error);
  }

  collect(limit: number): Promise<Buffer> {
    return this.collectUpTo(limit).then((whole) => {
      if (whole !== undefined) return whole;
      this.discard();
      throw new Error('upstream body over the limit');
    });
  }

  collectUpTo(limit: number): Promise<Buffer | undefined> {
    this.mode = Mode.Collecting;
    this.limit = limit;
    const outcome = (error: Error | undefined): Buffer | undefined => {
      this.mode = Mode.Holding;
      this.limit = Infinity;
      if (error !== undefined) throw error;
      if (this.size > limit) return undefined;
      return this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks);
    };
    if (this.failure !== undefined || this.ended || this.size > limit) {
      try {
        return Promise.resolve(outcome(this.failure));
      } catch (error) {
        return Promise.reject(error as Error);
      }
    }
    this.controller?.resume();
    return new Promise((resolve, reject) => {
      this.settle = (error) => {
        try {
          resolve(outcome(error));
        } catch (thrown) {
          reject(thrown as Error);
        }
      };
    });
  }

  pipeTo(res: ServerResponse, broke: (error: Error) => void): void {
    for (const chunk of this.chunks) res.write(chunk);
    this.chunks = [];
    if (this.failure !== undefined) {
      res.destroy();
      // Given up because the client went away: nothing of the upstream's to tell.
      if (!this.aborted) broke(this.failure);
      return;
    }
    if (this.ended) return void res.end();
    this.mode = Mode.Streaming;
    this.res = res;
    this.settle = (error) => {
      res.destroy();
      if (error !== undefined) broke(error);
    };
    res.on('drain', () => this.controller?.resume());
    // The client went away: the upstream answer is given up (its connection closed).
    res.once('close', () => {
      if (this.ended || this.failure !== undefined) return;
      this.settle = undefined;
      this.discard();
    });
    this.controller?.resume();
  }

  drain(): Promise<number> {
    this.mode = Mode.Draining;
    this.chunks = [];
    if (this.failure !== undefined) return Promise.reject(this.failure);
    if (this.ended) return Promise.resolve(this.size);
    this.controller?.resume();
    return new Promise((resolve, reject) => {
      this.settle = (error) => (error === undefined ? resolve(this.size) : reject(error));
    });
  }

  discard(): void {
    this.mode = Mode.Draining;
    this.chunks = [];
    if (!this.ended && this.failure === undefined) this.controller?.abort(new ClientGoneError('The answer was given up.'));
  }
}
