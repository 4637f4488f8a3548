/** The OTEL_* variables: off unless an endpoint is named, the standard defaults, and every bad value named. */
import { describe, expect, it } from 'vitest';
import { configProblems, loadConfig } from './index.js';

const base = { NODE_ENV: 'test' };

describe('OpenTelemetry tracing configuration', () => {
  it('is off when no OTLP endpoint is named, and with OTEL_TRACES_EXPORTER=none or OTEL_SDK_DISABLED=true', () => {
    expect(loadConfig(base).tracing.enabled).toBe(false);
    expect(loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing.enabled).toBe(false);
    expect(loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }).tracing.enabled).toBe(false);
  });

  it('is on with an endpoint, sending to its /v1/traces as protobuf, sampling parent-based at ratio 1, with the batch defaults', () => {
    expect(loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracing).toEqual({
      enabled: true,
      url: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      headers: {},
      timeoutMillis: 10_000,
      resource: { 'service.name': 'specgate' },
      sampler: 'parentbased_traceidratio',
      ratio: 1,
      batch: { scheduledDelayMillis: 5000, exportTimeoutMillis: 30_000, maxQueueSize: 2048, maxExportBatchSize: 512 },
      captureUser: false,
    });
  });

  it('takes the traces endpoint as given, OTEL_TRACES_EXPORTER=otlp alone as localhost, and the signal-specific settings over the general ones', () => {
    expect(loadConfig({ ...base, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/otlp/traces' }).tracing.url).toBe('https://b/otlp/traces');
    expect(loadConfig({ ...base, OTEL_TRACES_EXPORTER: 'otlp' }).tracing).toMatchObject({ enabled: true, url: 'http://localhost:4318/v1/traces' });
    const tracing = loadConfig({
      ...base,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D, tenant=t1',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'tenant=t2',
      OTEL_EXPORTER_OTLP_TIMEOUT: '3000',
      OTEL_SERVICE_NAME: 'edge-gateway',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=ignored,deployment.environment.name=prod',
      OTEL_TRACES_SAMPLER: 'traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_SPECGATE_CAPTURE_USER: 'true',
    }).tracing;
    expect(tracing).toMatchObject({
      protocol: 'http/json',
      headers: { 'x-api-key': 'abc==', tenant: 't2' },
      timeoutMillis: 3000,
      resource: { 'service.name': 'edge-gateway', 'deployment.environment.name': 'prod' },
      sampler: 'traceidratio',
      ratio: 0.25,
      batch: { scheduledDelayMillis: 100 },
      captureUser: true,
    });
  });

  it('names every bad value at once', () => {
    expect(
      configProblems({
        ...base,
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_TRACES_SAMPLER: 'sometimes',
        OTEL_TRACES_SAMPLER_ARG: '1.5',
        OTEL_RESOURCE_ATTRIBUTES: 'novalue',
        OTEL_BSP_MAX_QUEUE_SIZE: '0',
      }),
    ).toEqual([
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http:// or https:// URL (got "collector:4318").',
      'OTEL_RESOURCE_ATTRIBUTES must be a list of key=value pairs separated by commas (got "novalue").',
      'OTEL_EXPORTER_OTLP_PROTOCOL must be "http/protobuf" or "http/json" (got "grpc").',
      'OTEL_TRACES_SAMPLER must be "always_on" or "always_off" or "traceidratio" or "parentbased_always_on" or "parentbased_always_off" or "parentbased_traceidratio" (got "sometimes").',
      'OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1 (got "1.5").',
      'OTEL_BSP_MAX_QUEUE_SIZE must be an integer from 1 to 1000000 (got "0").',
    ]);
  });
});
