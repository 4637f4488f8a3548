/**
 * Starts OpenTelemetry tracing in this process (serve() imports this file only when OTEL_* turns
 * tracing on, so a process without it never loads the SDK): a tracer provider with the configured
 * resource, a batch span processor over the OTLP/HTTP exporter (protobuf or JSON), and the
 * configured sampler as a head decision the tracing stage makes before it asks the SDK for
 * anything (the provider's own sampler then samples all it is given). No context manager: a span's
 * parent is always passed explicitly (RequestState.trace), because Node 20's AsyncLocalStorage
 * slows every promise.
 */
import { diag, DiagLogLevel } from '@opentelemetry/api';
import { defaultResource, resourceFromAttributes } from '@opentelemetry/resources';
import { AlwaysOnSampler, BatchSpanProcessor, TracerProvider, type SpanExporter } from '@opentelemetry/sdk-trace';
import type { TracingConfig } from '../config/tracing.js';
import type { Logger } from '../logger.js';
import { headSampler } from './head-sampler.js';
import { serverSpanStage } from './server-span.js';
import { PresetIdGenerator } from './trace-ids.js';
import type { Tracing } from './tracing.js';

/** The OTLP/HTTP exporter for the configured protocol, given every setting explicitly. */
async function exporterFor(config: TracingConfig): Promise<SpanExporter> {
  const options = { url: config.url, headers: { ...config.headers }, timeoutMillis: config.timeoutMillis };
  if (config.protocol === 'http/json') return new (await import('@opentelemetry/exporter-trace-otlp-http')).OTLPTraceExporter(options);
  return new (await import('@opentelemetry/exporter-trace-otlp-proto')).OTLPTraceExporter(options);
}

/** The SDK's own complaints (an export that failed) as warning lines, at most one a minute. */
function diagnosticsTo(log: Logger): void {
  let last = 0;
  const warn = (message: string, ...args: unknown[]) => {
    const now = Date.now();
    if (now - last < 60_000) return;
    last = now;
    log.warn({ detail: args.map(String).join(' ').slice(0, 500) }, `tracing: ${message}`);
  };
  diag.setLogger({ error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
}

/** Starts tracing; returns the stage and the bounded flush for shutdown. */
export async function startTracing(config: TracingConfig, log: Logger): Promise<Tracing> {
  diagnosticsTo(log);
  const exporter = await exporterFor(config);
  const ids = new PresetIdGenerator();
  const provider = new TracerProvider({
    resource: defaultResource().merge(resourceFromAttributes(config.resource)),
    // Every span that reaches the SDK was sampled by the stage (children follow their sampled parent).
    sampler: new AlwaysOnSampler(),
    idGenerator: ids,
    spanProcessors: [new BatchSpanProcessor({ exporter, ...config.batch })],
  });
  const stage = serverSpanStage({ tracer: provider.getTracer('specgate'), ids, sample: headSampler(config.sampler, config.ratio), captureUser: config.captureUser });
  return {
    stage,
    async shutdown(ms) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      });
      await Promise.race([provider.shutdown().catch((error: unknown) => log.warn({ cause: String(error) }, 'tracing: flushing spans failed')), deadline]);
      clearTimeout(timer);
    },
  };
}
