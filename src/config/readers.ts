/**
 * The environment readers every config section uses: each parses one variable, reports a bad value
 * as one problem line, and falls back to the section's default so every problem is found in one pass.
 */

import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

/** The environment as loadConfig reads it: process.env, or a test's literal. */
export type Env = Readonly<Record<string, string | undefined>>;

/** The integer in env[name] within [min, max]; fallback when unset, or (with a problem) when invalid. */
export function integer(env: Env, name: string, fallback: number, min: number, max: number, problems: string[]): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}").`);
    return fallback;
  }
  return value;
}

/** The value of env[name] when it is one of values; fallback when unset, or (with a problem) when another word. */
export function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T, problems: string[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (values.includes(raw as T)) return raw as T;
  problems.push(`${name} must be ${values.map((v) => `"${v}"`).join(' or ')} (got "${raw}").`);
  return fallback;
}

/** The comma-separated list in env[name], trimmed, without empty entries. */
export const list = (env: Env, name: string): string[] =>
  (env[name] ?? '').split(',').map((item) => item.trim()).filter((item) => item !== '');

/**
 * The environment with `.env` (in the working directory) filled in underneath it: a variable the
 * real environment sets wins over the file. Read like Node's --env-file, without a dependency.
 */
export function withDotEnv(env: Env = process.env, file = '.env'): Env {
  if (!existsSync(file)) return env;
  return { ...parseEnv(readFileSync(file, 'utf8')), ...env };
}
