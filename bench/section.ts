/**
 * The sections of docs/performance.md that a bench entry of their own writes (`npm run
 * bench:gateway`, `npm run bench:scaling`, `npm run bench:reload`, `npm run bench:tracing`, `npm run bench:tracing:instructions`), between `<!-- name:start -->` and `<!-- name:end -->`:
 * each entry replaces its own, and `npm run bench` keeps them, with the notes around them, when it rewrites the top.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const REPORT = new URL('../docs/performance.md', import.meta.url);
const pattern = (name: string) => new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);

/** The named section of `markdown`, markers included, if it has one. */
export const sectionIn = (markdown: string, name: string): string | undefined => pattern(name).exec(markdown)?.[0];

/**
 * What `npm run bench` keeps of docs/performance.md: everything from the first section another entry
 * wrote to the end, as it is now — those sections and the hand-written notes between and after them
 * (the gateway's passes, the reload's comparison), which a rewrite of the top must not drop.
 */
export const keptTail = (): string => {
  const current = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '';
  const starts = ['gateway', 'scaling', 'reload', 'tracing'].map((name) => current.indexOf(`<!-- ${name}:start -->`)).filter((at) => at >= 0);
  return starts.length === 0 ? '' : current.slice(Math.min(...starts)).trim();
};

/** Replaces the named section of docs/performance.md with `section` (markers included), or appends it. */
export function writeSection(name: string, section: string): void {
  const current = readFileSync(REPORT, 'utf8');
  writeFileSync(REPORT, sectionIn(current, name) !== undefined ? current.replace(pattern(name), () => section) : `${current.trimEnd()}\n\n${section}\n`);
}
