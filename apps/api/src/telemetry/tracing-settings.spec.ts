import { describe, expect, it } from 'vitest';
import { loadEnv } from '../config/env.js';
import { startTracing } from './tracing.js';

const base = { DATABASE_URL: 'postgres://app:pw@db:5432/zakpos', JWT_SECRET: 'x'.repeat(32) };
const load = (extra: Record<string, string>) => loadEnv({}, { ...base, ...extra });

describe('tracing settings', () => {
  it('default to tracing off, service zakpos-api, every trace sampled', () => {
    const env = load({ OTEL_EXPORTER_OTLP_ENDPOINT: '' });
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBeUndefined();
    expect(env.OTEL_SERVICE_NAME).toBe('zakpos-api');
    expect(env.OTEL_EXPORTER_OTLP_HEADERS).toBeUndefined();
    expect(env.OTEL_TRACES_SAMPLER_ARG).toBe(1);
  });

  it('parse the endpoint, the headers (percent-decoded) and the ratio', () => {
    const env = load({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'https://collector.example.com:4318',
      OTEL_SERVICE_NAME: 'zakpos-api-eu',
      OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cr%20et, x-tenant = ops',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    });
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('https://collector.example.com:4318');
    expect(env.OTEL_SERVICE_NAME).toBe('zakpos-api-eu');
    expect(env.OTEL_EXPORTER_OTLP_HEADERS).toEqual({ 'api-key': 's3cr et', 'x-tenant': 'ops' });
    expect(env.OTEL_TRACES_SAMPLER_ARG).toBe(0.25);
  });

  it.each([
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'collector:4318'],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', 'grpc://collector:4317'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'no-equals-sign'],
    ['OTEL_EXPORTER_OTLP_HEADERS', 'api-key=%zz'],
    ['OTEL_TRACES_SAMPLER_ARG', '1.5'],
    ['OTEL_TRACES_SAMPLER_ARG', '-0.1'],
    ['OTEL_TRACES_SAMPLER_ARG', 'half'],
    ['OTEL_SERVICE_NAME', 'x'.repeat(201)],
  ])('refuse %s=%s, naming the variable', (name, value) => {
    expect(() => load({ [name]: value })).toThrow(new RegExp(`^Invalid configuration:\\n  ${name}: `));
  });

  it('start nothing without an endpoint', async () => {
    await expect(startTracing(load({}))).resolves.toBeUndefined();
  });
});
