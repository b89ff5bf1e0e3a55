import type { Registry } from 'prom-client';

/** One scrape of `registry` in Prometheus text format, for the server's `GET /metrics` route. */
export async function metricsHandler(registry: Registry): Promise<{ contentType: string; body: string }> {
  return { contentType: registry.contentType, body: await registry.metrics() };
}
