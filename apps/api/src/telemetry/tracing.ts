import type { Env } from '../config/env.js';

export type TracingSettings = Pick<
  Env,
  | 'OTEL_EXPORTER_OTLP_ENDPOINT'
  | 'OTEL_SERVICE_NAME'
  | 'OTEL_EXPORTER_OTLP_HEADERS'
  | 'OTEL_TRACES_SAMPLER_ARG'
>;

export interface Tracing {
  /** Exports the spans still buffered, then stops tracing. */
  shutdown(): Promise<void>;
}

/**
 * Starts OpenTelemetry tracing when a collector is configured. Without OTEL_EXPORTER_OTLP_ENDPOINT
 * it returns undefined and no OpenTelemetry module is ever loaded. The instrumentations patch `http`
 * and `pg` as they load, so this must run before the app's modules are imported (see main.ts).
 */
export async function startTracing(settings: TracingSettings): Promise<Tracing | undefined> {
  const endpoint = settings.OTEL_EXPORTER_OTLP_ENDPOINT;
  if (!endpoint) return undefined;
  const { startOtelSdk } = await import('./otel-sdk.js');
  return startOtelSdk({ ...settings, OTEL_EXPORTER_OTLP_ENDPOINT: endpoint });
}
