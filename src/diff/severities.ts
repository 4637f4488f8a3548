/**
 * Per-check severities: the defaults of src/diff/checks.ts, changed by a config file
 * `{ "severities": { "<check-id>": "breaking" | "warning" | "info" | "off" } }` ("off" drops the
 * check's findings). A wrong check id or severity is refused, naming every problem at once.
 */
import { CHECKS, isCheckId, SEVERITIES, type CheckId, type Severity } from './checks.js';

/** A severity a config can give a check: one of the three, or "off". */
export type ConfiguredSeverity = Severity | 'off';

/** Severity overrides by check id. */
export type SeverityOverrides = Readonly<Partial<Record<CheckId, ConfiguredSeverity>>>;

/** A config file that does not have the expected shape. */
export class InvalidDiffConfig extends Error {
  override name = 'InvalidDiffConfig';
}

const ALLOWED: readonly string[] = [...SEVERITIES, 'off'];

/** Reads the severities of a parsed config file; throws InvalidDiffConfig listing every problem. */
export function severitiesFromConfig(config: unknown): SeverityOverrides {
  if (typeof config !== 'object' || config === null || Array.isArray(config)) throw new InvalidDiffConfig('the config must be an object like { "severities": { "<check-id>": "warning" } }');
  const extra = Object.keys(config).filter((key) => key !== 'severities');
  const severities = (config as { severities?: unknown }).severities ?? {};
  const problems = extra.map((key) => `unknown field "${key}"`);
  if (typeof severities !== 'object' || severities === null || Array.isArray(severities)) throw new InvalidDiffConfig('"severities" must be an object of check id → severity');
  const overrides: Partial<Record<CheckId, ConfiguredSeverity>> = {};
  for (const [id, severity] of Object.entries(severities)) {
    if (!isCheckId(id)) problems.push(`unknown check "${id}"`);
    else if (typeof severity !== 'string' || !ALLOWED.includes(severity)) problems.push(`"${id}": severity must be one of ${ALLOWED.join(', ')} (got ${JSON.stringify(severity)})`);
    else overrides[id] = severity as ConfiguredSeverity;
  }
  if (problems.length > 0) throw new InvalidDiffConfig(problems.join('; '));
  return Object.freeze(overrides);
}

/** The severity a check's findings get: the override, else the default. */
export const severityOf = (check: CheckId, overrides: SeverityOverrides): ConfiguredSeverity => overrides[check] ?? CHECKS[check].severity;
