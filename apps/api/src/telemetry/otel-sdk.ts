import { type DiagLogger, DiagLogLevel, diag } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK } from '@opentelemetry/sdk-node';
import { BatchSpanProcessor, ParentBasedSampler, TraceIdRatioBasedSampler } from '@opentelemetry/sdk-trace';
import type { Tracing, TracingSettings } from './tracing.js';
import { traceFastifyRequests } from './fastify-spans.js';

/** Probes and scrapes: frequent, uninteresting, and they would drown the real traffic. */
const UNTRACED_PATHS = /^\/(health\/(live|ready)|metrics)(\?|$)/;

/** The SDK's own warnings and errors (an unreachable collector, say) as JSON lines on stderr. */
const diagLogger: DiagLogger = {
  error: (message, ...args) => writeDiag('error', message, args),
  warn: (message, ...args) => writeDiag('warn', message, args),
  info: () => {},
  debug: () => {},
  verbose: () => {},
};

function writeDiag(level: string, message: string, args: unknown[]): void {
  const detail = args.map((a) => (a instanceof Error ? a.message : String(a))).join(' ');
  process.stderr.write(
    `${JSON.stringify({ level, component: 'opentelemetry', msg: `${message} ${detail}`.trim() })}\n`,
  );
}

export function startOtelSdk(settings: TracingSettings & { OTEL_EXPORTER_OTLP_ENDPOINT: string }): Tracing {
  diag.setLogger(diagLogger, DiagLogLevel.WARN);
  const exporter = new OTLPTraceExporter({
    url: `${settings.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`,
    headers: settings.OTEL_EXPORTER_OTLP_HEADERS ?? {},
    timeoutMillis: 5_000,
  });
  const sdk = new NodeSDK({
    serviceName: settings.OTEL_SERVICE_NAME,
    autoDetectResources: false,
    textMapPropagator: new W3CTraceContextPropagator(),
    sampler: new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(settings.OTEL_TRACES_SAMPLER_ARG) }),
    spanProcessors: [new BatchSpanProcessor({ exporter })],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? ''),
      }),
      // Query text only (Kysely binds every value as a parameter, and parameters are not recorded),
      // and only inside a traced request: pool housekeeping alone is noise.
      new PgInstrumentation({ enhancedDatabaseReporting: false, requireParentSpan: true }),
    ],
  });
  sdk.start();
  traceFastifyRequests();
  return { shutdown: () => sdk.shutdown() };
}
