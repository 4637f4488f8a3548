/**
 * The sections of docs/performance.md that a bench entry of their own writes (`npm run
 * bench:gateway`, `npm run bench:scaling`, `npm run bench:reload`, `npm run bench:tracing`), between `<!-- name:start -->` and `<!-- name:end -->`:
 * each entry replaces its own, and `npm run bench` keeps them when it rewrites the rest.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const REPORT = new URL('../docs/performance.md', import.meta.url);
const pattern = (name: string) => new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);

/** The named section of `markdown`, markers included, if it has one. */
export const sectionIn = (markdown: string, name: string): string | undefined => pattern(name).exec(markdown)?.[0];

/** The sections other entries wrote, as they are in docs/performance.md now. */
export const keptSections = (): string[] => {
  const current = existsSync(REPORT) ? readFileSync(REPORT, 'utf8') : '';
  return ['gateway', 'scaling', 'reload', 'tracing'].flatMap((name) => sectionIn(current, name) ?? []);
};

/** Replaces the named section of docs/performance.md with `section` (markers included), or appends it. */
export function writeSection(name: string, section: string): void {
  const current = readFileSync(REPORT, 'utf8');
  writeFileSync(REPORT, sectionIn(current, name) !== undefined ? current.replace(pattern(name), () => section) : `${current.trimEnd()}\n\n${section}\n`);
}
