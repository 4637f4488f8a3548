/**
 * Where a served contract comes from, for live reload: load it again (SIGHUP), and with `--watch`
 * be told when it may have changed. A file (the document or an overlay) is watched with fs.watch
 * on its folder — editors and deploy tools replace a file by renaming a new one over it, which a
 * watch on the file itself misses — the events debounced. An `http(s)://` location is fetched
 * every RELOAD_POLL_SECONDS, and a change is reported when its text differs from the last fetch.
 */
import { createHash } from 'node:crypto';
import { watch as watchFolder, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { isUrl, textAt } from '../contract/fetch-text.js';
import type { OpenApiDocument } from '../contract/spec.js';

/** How long a file must stay quiet after a change before the reload starts. */
export const WATCH_DEBOUNCE_MS = 300;

/** A contract's origin: load it now, or be called back when it may have changed. */
export interface ContractSource {
  /** The document's file or URL, for log lines. */
  readonly name: string;
  /** Loads the document as the entry point serves it (overlays applied, converted); throws when it cannot. */
  read(): Promise<OpenApiDocument>;
  /** Calls `changed` whenever the document or an overlay may have changed; returns what stops watching. */
  watch(changed: () => void): () => void;
}

/** Where the document and its overlays are, how they are loaded, and how often URLs are polled. */
export interface SourcePlan {
  readonly location: string;
  readonly overlays?: readonly string[];
  /** Loads the document with its overlays (src/contract/load-document.ts). */
  load(): Promise<OpenApiDocument>;
  readonly pollSeconds: number;
}

/** Calls `changed` (debounced) when one of `files` changes; the folders are watched, not the files. */
function watchFiles(files: readonly string[], changed: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  const byFolder = new Map<string, Set<string>>();
  for (const file of files.map((f) => resolve(f))) byFolder.set(dirname(file), (byFolder.get(dirname(file)) ?? new Set()).add(basename(file)));
  const watchers: FSWatcher[] = [...byFolder].map(([folder, names]) =>
    watchFolder(folder, (_event, name) => {
      if (name !== null && !names.has(name)) return;
      clearTimeout(timer);
      timer = setTimeout(changed, WATCH_DEBOUNCE_MS);
    }).unref(),
  );
  return () => {
    clearTimeout(timer);
    for (const watcher of watchers) watcher.close();
  };
}

/** Fetches each of `urls` every `seconds` and calls `changed` when a text differs from the last one fetched (a failed fetch changes nothing). */
function pollUrls(urls: readonly string[], seconds: number, changed: () => void): () => void {
  const last = new Map<string, string>();
  const digest = (text: string) => createHash('sha256').update(text).digest('hex');
  const poll = async () => {
    let differs = false;
    for (const url of urls) {
      const text = await textAt(url, { timeoutMs: 0 }).catch(() => undefined);
      if (text === undefined) continue;
      const now = digest(text);
      if (last.has(url) && last.get(url) !== now) differs = true;
      last.set(url, now);
    }
    if (differs) changed();
  };
  void poll();
  const timer = setInterval(() => void poll(), seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}

/** The source of a document given as a file or URL, with its overlays. */
export function contractSource({ location, overlays = [], load, pollSeconds }: SourcePlan): ContractSource {
  const all = [location, ...overlays];
  const files = all.filter((where) => !isUrl(where));
  const urls = all.filter(isUrl);
  return {
    name: location,
    read: load,
    watch(changed) {
      const stops = [...(files.length > 0 ? [watchFiles(files, changed)] : []), ...(urls.length > 0 ? [pollUrls(urls, pollSeconds, changed)] : [])];
      return () => stops.forEach((stop) => stop());
    },
  };
}
