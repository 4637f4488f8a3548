/**
 * The app behind the node:http server, replaceable in one step: the server's listener delegates
 * to the current app, so a request runs to its end on the pipeline it started on while new
 * requests take the new one. A replaced app is retired once its in-flight requests are answered
 * (or after the drain window): its drain() then closes what would never end by itself (open
 * WebSocket tunnels, with 1001), and its close() releases its upstream pools and stores.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from '../logger.js';
import { describeError } from '../log-safe.js';
import type { UpgradeListener } from '../pipeline/upgrade.js';
import type { ServedApp } from './served-app.js';

/** One app and the requests it is answering now. */
interface Generation {
  readonly app: ServedApp;
  inFlight: number;
  /** Called when inFlight drops to 0 while the generation is retiring. */
  onIdle?: () => void;
}

/** The server's view of the app: stable listeners, the current app, and the one-step swap. */
export interface SwappableApp {
  readonly listener: RequestListener;
  readonly upgrade: UpgradeListener;
  /** The app new requests go to. */
  current(): ServedApp;
  /** Sends new requests to `next` and retires the app it replaces; resolves once that one is closed. */
  swap(next: ServedApp): Promise<void>;
  /** Drains every app still alive (SIGTERM). */
  drain(): void;
  /** Closes every app still alive, waiting for retirements under way. */
  close(): Promise<void>;
}

/** Wraps the first app; `drainMs` bounds how long a replaced app waits for its in-flight requests. */
export function swappableApp(first: ServedApp, drainMs: number, log: Logger): SwappableApp {
  let current: Generation = { app: first, inFlight: 0 };
  const retiring = new Set<Promise<void>>();
  const retire = async (old: Generation) => {
    if (old.inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, drainMs);
        timer.unref();
        old.onIdle = () => (clearTimeout(timer), resolve());
      });
    }
    old.app.drain();
    await old.app.close().catch((error: unknown) => log.warn({ cause: describeError(error) }, 'closing the replaced app failed'));
  };
  return {
    listener(req: IncomingMessage, res: ServerResponse) {
      const generation = current;
      generation.inFlight++;
      res.once('close', () => {
        if (--generation.inFlight === 0) generation.onIdle?.();
      });
      generation.app.listener(req, res);
    },
    upgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
      // What Node does with no 'upgrade' listener: the connection is closed.
      if (current.app.upgrade) current.app.upgrade(req, socket, head);
      else socket.destroy();
    },
    current: () => current.app,
    async swap(next) {
      const old = current;
      current = { app: next, inFlight: 0 };
      const done = retire(old);
      retiring.add(done);
      await done.finally(() => retiring.delete(done));
    },
    drain: () => current.app.drain(),
    async close() {
      await Promise.all(retiring);
      await current.app.close();
    },
  };
}
