/**
 * OpenTelemetry tracing, configured only by the standard OTEL_* variables (docs/observability.md):
 * on when an OTLP endpoint is named (or OTEL_TRACES_EXPORTER=otlp), off — the SDK never loaded —
 * otherwise. Every value the SDK needs is read here and passed to it explicitly.
 */

import { integer, oneOf, type Env } from './readers.js';

/** How spans leave the process: OTLP over HTTP, protobuf or JSON. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** OTEL_TRACES_SAMPLER's values (the SDK specification's names). */
export type SamplerName = 'always_on' | 'always_off' | 'traceidratio' | 'parentbased_always_on' | 'parentbased_always_off' | 'parentbased_traceidratio';

const SAMPLERS: readonly SamplerName[] = ['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'];

/** The batch span processor's limits (OTEL_BSP_*), with the specification's defaults. */
export interface BatchConfig {
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
}

/** Where and how spans are exported; `enabled: false` leaves everything else at its default. */
export interface TracingConfig {
  readonly enabled: boolean;
  /** The full traces URL: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, or OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces. */
  readonly url: string;
  readonly protocol: OtlpProtocol;
  /** OTEL_EXPORTER_OTLP_HEADERS (and _TRACES_HEADERS): sent with every export, e.g. an API key. */
  readonly headers: Readonly<Record<string, string>>;
  /** OTEL_EXPORTER_OTLP_TIMEOUT (and _TRACES_TIMEOUT): one export's deadline. */
  readonly timeoutMillis: number;
  /** Resource attributes: OTEL_RESOURCE_ATTRIBUTES, with service.name from OTEL_SERVICE_NAME (default specgate). */
  readonly resource: Readonly<Record<string, string>>;
  readonly sampler: SamplerName;
  /** OTEL_TRACES_SAMPLER_ARG: the ratio of the traceidratio samplers, 0 to 1. */
  readonly ratio: number;
  readonly batch: BatchConfig;
  /** OTEL_SPECGATE_CAPTURE_USER=true: spans carry the verified caller's `sub` as `user.id` (off: no user id leaves in a span). */
  readonly captureUser: boolean;
}

const DEFAULT_ENDPOINT = 'http://localhost:4318';

/** `key=value,key=value` (values percent-decoded), as OTEL_RESOURCE_ATTRIBUTES and OTEL_EXPORTER_OTLP_HEADERS are written. */
function keyValues(env: Env, name: string, problems: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of (env[name] ?? '').split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.indexOf('=');
    const key = at < 0 ? '' : pair.slice(0, at).trim();
    if (key === '') {
      problems.push(`${name} must be a list of key=value pairs separated by commas (got "${pair.trim()}").`);
      continue;
    }
    try {
      out[key] = decodeURIComponent(pair.slice(at + 1).trim());
    } catch {
      problems.push(`${name}: the value of ${key} is not percent-encoded correctly.`);
    }
  }
  return out;
}

/** A URL env[name] as given; undefined when unset, or (with a problem) when not http(s). */
function httpUrl(env: Env, name: string, problems: string[]): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^https?:\/\/[^/]/i.test(raw) || !URL.canParse(raw)) {
    problems.push(`${name} must be an http:// or https:// URL (got "${raw}").`);
    return undefined;
  }
  return raw;
}

/** The ratio in OTEL_TRACES_SAMPLER_ARG, 1 when unset. */
function ratioOf(env: Env, problems: string[]): number {
  const raw = env.OTEL_TRACES_SAMPLER_ARG;
  if (raw === undefined || raw === '') return 1;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || value > 1) {
    problems.push(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "${raw}").`);
    return 1;
  }
  return value;
}

/** Every OTEL_* variable specgate reads, checked. */
export function tracing(env: Env, problems: string[]): TracingConfig {
  const tracesEndpoint = httpUrl(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', problems);
  const endpoint = httpUrl(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', problems);
  const exporter = oneOf(env, 'OTEL_TRACES_EXPORTER', ['otlp', 'none'] as const, tracesEndpoint ?? endpoint ? 'otlp' : 'none', problems);
  const disabled = env.OTEL_SDK_DISABLED === 'true';
  const base = (endpoint ?? DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const resource = keyValues(env, 'OTEL_RESOURCE_ATTRIBUTES', problems);
  return {
    enabled: !disabled && exporter === 'otlp',
    url: tracesEndpoint ?? `${base}/v1/traces`,
    protocol: oneOf(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', ['http/protobuf', 'http/json'] as const, oneOf(env, 'OTEL_EXPORTER_OTLP_PROTOCOL', ['http/protobuf', 'http/json'] as const, 'http/protobuf', problems), problems),
    headers: { ...keyValues(env, 'OTEL_EXPORTER_OTLP_HEADERS', problems), ...keyValues(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', problems) },
    timeoutMillis: integer(env, 'OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', integer(env, 'OTEL_EXPORTER_OTLP_TIMEOUT', 10_000, 1, 600_000, problems), 1, 600_000, problems),
    resource: { ...resource, 'service.name': env.OTEL_SERVICE_NAME || resource['service.name'] || 'specgate' },
    sampler: oneOf(env, 'OTEL_TRACES_SAMPLER', SAMPLERS, 'parentbased_traceidratio', problems),
    ratio: ratioOf(env, problems),
    batch: {
      scheduledDelayMillis: integer(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000, 0, 600_000, problems),
      exportTimeoutMillis: integer(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000, 1, 600_000, problems),
      maxQueueSize: integer(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1, 1_000_000, problems),
      maxExportBatchSize: integer(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512, 1, 1_000_000, problems),
    },
    captureUser: oneOf(env, 'OTEL_SPECGATE_CAPTURE_USER', ['true', 'false'] as const, 'false', problems) === 'true',
  };
}
