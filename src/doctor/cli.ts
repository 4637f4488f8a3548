/**
 * `npm run cors:doctor -- --url <api url> --origin <frontend origin> [--method PATCH]
 * [--header Authorization] [--header 'Content-Type: application/json'] [--credentials] [--data <body>]`:
 * replays what a browser does for that fetch() and says whether the page could read the answer.
 * Exit 0: allowed; 1: blocked (or bad arguments); 2: allowed, with a warning.
 */
import { parseArgs } from 'node:util';
import { diagnose, type DoctorRequest } from './diagnose.js';
import { exitCode, formatReport } from './report.js';
import type { RequestHeader } from './rules.js';

const USAGE =
  'usage: npm run cors:doctor -- --url <api url> --origin <frontend origin> [--method PATCH] [--header Authorization] [--header "Name: value"] [--credentials] [--data <body>]\n';

/** Placeholder values for headers given by name only. */
function headerFrom(raw: string): RequestHeader {
  const colon = raw.indexOf(':');
  if (colon > 0) return { name: raw.slice(0, colon).trim(), value: raw.slice(colon + 1).trim() };
  const name = raw.trim();
  const lower = name.toLowerCase();
  const value = lower === 'authorization' ? 'Bearer cors-doctor' : lower === 'content-type' ? 'application/json' : 'cors-doctor';
  return { name, value };
}

/** Parses argv into a request, or returns the problem to print. */
export function parseDoctorArgs(argv: readonly string[]): DoctorRequest | string {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        url: { type: 'string' },
        origin: { type: 'string' },
        method: { type: 'string', default: 'GET' },
        header: { type: 'string', multiple: true, default: [] },
        credentials: { type: 'boolean', default: false },
        data: { type: 'string' },
      },
    }));
  } catch (error) {
    return `${(error as Error).message}\n${USAGE}`;
  }
  if (!values.url || !values.origin) return `--url and --origin are required.\n${USAGE}`;
  try {
    new URL(values.url);
  } catch {
    return `--url "${values.url}" is not a URL.\n${USAGE}`;
  }
  let origin: URL;
  try {
    origin = new URL(values.origin);
  } catch {
    return `--origin "${values.origin}" is not an origin; write e.g. http://localhost:5173.\n`;
  }
  if (origin.origin !== values.origin) return `--origin must be scheme://host[:port] as a browser sends it: "${origin.origin}".\n`;
  return {
    url: values.url,
    origin: values.origin,
    method: values.method,
    headers: values.header.map(headerFrom),
    credentials: values.credentials,
    ...(values.data === undefined ? {} : { body: values.data }),
  };
}

/** Runs the doctor on argv, writes the report, and returns the exit code. */
export async function runDoctor(argv: readonly string[], out: (text: string) => void): Promise<number> {
  const request = parseDoctorArgs(argv);
  if (typeof request === 'string') {
    out(request);
    return 1;
  }
  const diagnosis = await diagnose(request);
  out(formatReport(request, diagnosis));
  return exitCode(diagnosis);
}
