/** How the served contract may change while running: RELOAD_ALLOW_BREAKING, RELOAD_POLL_SECONDS and SUNSET_ENFORCE (docs/contract.md). */

import { integer, oneOf, type Env } from './readers.js';

/** Live reload's breaking-change policy and the sunset rule for deprecated operations. */
export interface ContractConfig {
  /** RELOAD_ALLOW_BREAKING=true: a reload applies even when the new document breaks clients (as `--allow-breaking`). */
  readonly allowBreaking: boolean;
  /** RELOAD_POLL_SECONDS: with `--watch`, how often a document given as an http(s) URL is fetched to see whether it changed. */
  readonly pollSeconds: number;
  /** SUNSET_ENFORCE=true: an operation past its `x-sunset` date answers 410 `gone`; by default it is still served. */
  readonly sunsetEnforce: boolean;
}

/** The policy when no variable is set: breaking reloads refused, sunset dates announced but not enforced. */
export const CONTRACT_DEFAULTS: ContractConfig = Object.freeze({ allowBreaking: false, pollSeconds: 30, sunsetEnforce: false });

/** RELOAD_ALLOW_BREAKING and SUNSET_ENFORCE (`true` or `false`) and RELOAD_POLL_SECONDS (1 to 86400). */
export function contractPolicy(env: Env, problems: string[]): ContractConfig {
  const flag = (name: string, fallback: boolean) => oneOf(env, name, ['true', 'false'], fallback ? 'true' : 'false', problems) === 'true';
  return {
    allowBreaking: flag('RELOAD_ALLOW_BREAKING', CONTRACT_DEFAULTS.allowBreaking),
    pollSeconds: integer(env, 'RELOAD_POLL_SECONDS', CONTRACT_DEFAULTS.pollSeconds, 1, 86_400, problems),
    sunsetEnforce: flag('SUNSET_ENFORCE', CONTRACT_DEFAULTS.sunsetEnforce),
  };
}
