/** The doctor's findings in plain words: the problem, what Chromium's console says, the fix. */
import type { Finding } from './rules.js';

/** Nothing answered at the URL. */
export function unreachable(url: string, cause: string): Finding {
  return {
    code: 'unreachable',
    severity: 'block',
    problem: `Nothing answered at ${url} (${cause}).`,
    console: 'net::ERR_CONNECTION_REFUSED (or a timeout), shown next to a CORS error',
    fix: 'Check the URL and that the API is running and reachable from the browser.',
  };
}

/** fetch() sends a lower-case method verbatim; method names are case-sensitive. */
export function methodCase(method: string): Finding {
  return {
    code: 'method-case',
    severity: 'block',
    problem: `fetch() sends "${method}" as written (only DELETE, GET, HEAD, OPTIONS, POST and PUT are upper-cased), and method names are case-sensitive.`,
    console: `Method ${method} is not allowed by Access-Control-Allow-Methods in preflight response.`,
    fix: `Write method: '${method.toUpperCase()}' in the fetch() call.`,
  };
}

/** The preflight was answered with a status outside 2xx (a redirect included). */
export function preflightStatus(what: string, status: number, method: string, hasAllowOrigin: boolean): Finding {
  const bare = hasAllowOrigin ? '' : ', and it has no Access-Control-Allow-Origin either';
  const redirect = status >= 300 && status < 400;
  return {
    code: 'preflight-error-status',
    severity: 'block',
    problem: `${what} is not a 2xx answer${bare}: the browser stops here and never sends the ${method}.`,
    console: redirect
      ? 'Redirect is not allowed for a preflight request.'
      : "Response to preflight request doesn't pass access control check: It does not have HTTP ok status.",
    fix: redirect
      ? 'Call the exact URL the API serves (no trailing-slash or http→https redirect).'
      : 'Answer OPTIONS preflights with 204 and the CORS headers before routing, authentication or validation run (a preflight never carries the Authorization header).',
  };
}

/** The response has no Access-Control-Allow-Origin: an error answered without CORS, or an origin not allowed. */
export function missingOrigin(status: number, what: string, originKnown: boolean, origin: string): Finding {
  if (status >= 400 && originKnown) {
    return {
      code: 'no-allow-origin-on-error',
      severity: 'block',
      problem: `${what} answered ${status} without Access-Control-Allow-Origin, although the server allows ${origin} elsewhere. The browser hides this ${status} and the page only sees "TypeError: Failed to fetch".`,
      console: "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
      fix: `Add the CORS headers to error responses too: run CORS before anything that can fail and keep its headers in the error handler. The real problem is the ${status} itself; fix it after.`,
    };
  }
  return {
    code: 'origin-not-allowed',
    severity: 'block',
    problem: `${what} answered ${status} without Access-Control-Allow-Origin: the server does not allow ${origin} (or has no CORS at all).`,
    console: "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    fix: `Add ${origin} to the allowed origins (specgate: CORS_ORIGINS=${origin}, exact scheme, host and port).`,
  };
}

/** The response echoes the origin without Vary: Origin. */
export function varyMissing(what: string): Finding {
  return {
    code: 'missing-vary-origin',
    severity: 'warn',
    problem: `${what} echoes the origin but has no Vary: Origin, so a browser or CDN cache may hand this answer to a page on another origin, which then fails (or one without CORS headers to this page).`,
    console: "No 'Access-Control-Allow-Origin' header is present… (only on some loads, often after another site or tab used the API)",
    fix: 'Send Vary: Origin on every response whose CORS headers depend on the Origin, errors included.',
  };
}
