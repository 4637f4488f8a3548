/**
 * What a log line may say about an error: its kind, its code (a SQLSTATE, an errno, a jose code)
 * and the place in our code that threw it — never a stack trace, SQL, or a library's message,
 * which can carry data, queries or credentials. Messages we wrote ourselves (InternalFault) are
 * kept, since they are the diagnosis.
 */
import { InternalFault } from './errors.js';

const FRAME = /\((?:file:\/\/)?(\/[^)]*?\/(?:src|bench|contract-tests)\/[^)]*?):(\d+):\d+\)|at (?:file:\/\/)?(\/[^ ]*?\/(?:src|bench|contract-tests)\/[^ ]*?):(\d+):\d+$/;

/** The first stack frame in this project's own code, as `src/file.ts:line`. */
function thrownAt(error: Error): string | undefined {
  for (const line of (error.stack ?? '').split('\n').slice(1)) {
    if (line.includes('node_modules')) continue;
    const match = FRAME.exec(line.trim());
    const file = match?.[1] ?? match?.[3];
    const lineNo = match?.[2] ?? match?.[4];
    if (file && lineNo) return `${file.slice(file.search(/\/(src|bench|contract-tests)\//) + 1)}:${lineNo}`;
  }
  return undefined;
}

/** A description of any thrown value that is safe to log. */
export function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { kind: typeof error };
  const code = (error as { code?: unknown }).code;
  return {
    kind: error.name,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    ...(error instanceof InternalFault ? { message: error.message, ...(error.details === undefined ? {} : { details: error.details }) } : {}),
    ...(thrownAt(error) ? { at: thrownAt(error) } : {}),
  };
}
