/** How the served contract may change while running: RELOAD_ALLOW_BREAKING and SUNSET_ENFORCE (docs/contract.md). */

import { oneOf, type Env } from './readers.js';

/** Live reload's breaking-change policy and the sunset rule for deprecated operations. */
export interface ContractConfig {
  /** RELOAD_ALLOW_BREAKING=true: a reload applies even when the new document breaks clients (as `--allow-breaking`). */
  readonly allowBreaking: boolean;
  /** SUNSET_ENFORCE=true: an operation past its `x-sunset` date answers 410 `gone`; by default it is still served. */
  readonly sunsetEnforce: boolean;
}

/** The policy when no variable is set: breaking reloads refused, sunset dates announced but not enforced. */
export const CONTRACT_DEFAULTS: ContractConfig = Object.freeze({ allowBreaking: false, sunsetEnforce: false });

/** RELOAD_ALLOW_BREAKING and SUNSET_ENFORCE, each `true` or `false`. */
export function contractPolicy(env: Env, problems: string[]): ContractConfig {
  const flag = (name: string, fallback: boolean) => oneOf(env, name, ['true', 'false'], fallback ? 'true' : 'false', problems) === 'true';
  return { allowBreaking: flag('RELOAD_ALLOW_BREAKING', CONTRACT_DEFAULTS.allowBreaking), sunsetEnforce: flag('SUNSET_ENFORCE', CONTRACT_DEFAULTS.sunsetEnforce) };
}
