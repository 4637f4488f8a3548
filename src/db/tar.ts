/**
 * Unpacks the plain (ustar) tar archives PGlite's dumpDataDir writes into a folder on disk: regular
 * files and directories only, names kept inside the target. A file named `last` is written after
 * every other, so a crash mid-way leaves that marker absent and the folder recognisably unfinished.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const BLOCK = 512;

const text = (header: Buffer, start: number, length: number) => header.subarray(start, start + length).toString('utf8').replace(/\0.*$/s, '');

/** Writes every regular file and directory of the archive under folder; `last` (a relative name) is written at the end. */
export function extractTar(archive: Buffer, folder: string, last?: string): void {
  let deferred: [string, Buffer] | undefined;
  for (let offset = 0; offset + BLOCK <= archive.length; ) {
    const header = archive.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) break;
    const prefix = text(header, 345, 155);
    const name = normalize((prefix ? `${prefix}/` : '') + text(header, 0, 100)).replace(/^\/+/, '');
    if (name.startsWith('..')) throw new Error(`tar entry ${name} points outside the folder`);
    const size = Number.parseInt(text(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const body = archive.subarray(offset + BLOCK, offset + BLOCK + size);
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK;
    const target = join(folder, name);
    if (type === '5') mkdirSync(target, { recursive: true });
    else if (type === '0' || type === '\0') {
      if (name === last) deferred = [target, body];
      else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, body);
      }
    }
  }
  if (deferred) writeFileSync(...deferred);
}
