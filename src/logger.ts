/**
 * JSON log lines (pino). Credentials never reach a line: authorization and cookie headers are
 * redacted, and nothing in src/ logs a request body or a token.
 */
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Creates the process logger at the configured level, writing to stdout unless told otherwise. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    base: { service: 'specgate' },
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie', '*.secret', '*.token'],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
