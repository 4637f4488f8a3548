/** A logger whose lines tests can read: each JSON line parsed, at the given level. */
import { createLogger, type Logger } from '../logger.js';

/** A logger writing into `lines` (parsed pino records) instead of stdout. */
export function capturingLogger(level = 'warn'): { log: Logger; lines: Record<string, any>[] } {
  const lines: Record<string, any>[] = [];
  const log = createLogger(level, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { log, lines };
}
