/** What to tell an operator when the server cannot listen: one line, never a stack. */
import type { Config } from '../config/index.js';

/** The one-line reason a listen failed with `code`, saying what to change. */
export function listenProblem(code: string | undefined, host: string, port: number): string {
  const problems: Record<string, string> = {
    EADDRINUSE: `port ${port} is in use on ${host}; stop the process using it or set PORT to a free port`,
    EACCES: `port ${port} on ${host} needs privileges this process lacks; set PORT to 1024 or above`,
    EADDRNOTAVAIL: `${host} is not an address of this machine; set HOST (0.0.0.0 listens on every interface)`,
  };
  return problems[code ?? ''] ?? `cannot listen on ${host}:${port}`;
}

/** How long a draining server lets in-flight requests finish: SHUTDOWN_TIMEOUT_MS, else 10 s — or, when requests go upstream, the upstream timeout plus 1 s if that is longer. */
export function drainWindowMs(config: Config, sendsUpstream: boolean, defaultMs: number): number {
  if (config.http.shutdownTimeoutMs !== undefined) return config.http.shutdownTimeoutMs;
  return sendsUpstream ? Math.max(defaultMs, config.upstream.timeoutMs + 1000) : defaultMs;
}
