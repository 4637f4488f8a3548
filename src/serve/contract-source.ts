/**
 * Where a served contract comes from, for live reload: read it again (SIGHUP), and with `--watch`
 * be told when it changes. A file is watched with fs.watch on its folder (editors and deploy
 * tools replace a file by renaming a new one over it, which a watch on the file itself misses),
 * the events debounced. An `http(s)://` source is the seam for src/contract/load-document.ts:
 * its `read` fetches, and its `watch` polls at an interval and calls back when the fetched text
 * differs — add it here next to fileSource once that loader is on main.
 */
import { watch as watchFolder } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { OpenApiDocument } from '../contract/spec.js';

/** How long a file must stay quiet after a change before the reload starts. */
export const WATCH_DEBOUNCE_MS = 300;

/** A contract's origin: read it now, or be called back when it changes. */
export interface ContractSource {
  /** The file or URL, for log lines. */
  readonly name: string;
  /** Reads and parses the document (any conversion the entry point applies included); throws when it cannot. */
  read(): Promise<OpenApiDocument>;
  /** Calls `changed` (debounced) whenever the document may have changed; returns what stops watching. */
  watch(changed: () => void): () => void;
}

/** A contract in a file; `parse` turns its text into the document the entry point serves. */
export function fileSource(file: string, parse: (text: string) => OpenApiDocument | Promise<OpenApiDocument>): ContractSource {
  return {
    name: file,
    read: async () => parse(await readFile(file, 'utf8')),
    watch(changed) {
      let timer: NodeJS.Timeout | undefined;
      const watcher = watchFolder(dirname(file), (_event, name) => {
        if (name !== null && name !== basename(file)) return;
        clearTimeout(timer);
        timer = setTimeout(changed, WATCH_DEBOUNCE_MS);
      });
      watcher.unref();
      return () => {
        clearTimeout(timer);
        watcher.close();
      };
    },
  };
}
