/** The `metrics` section of a node's configuration: whether Prometheus metrics are served, and where. */
import { enumOfStrings, hostPort } from '../../codec/config_values.ts';
import { optional, struct } from '../../codec/schema.ts';

/** Metrics options. */
export interface MetricsOptions {
  mode: 'none' | 'prometheus';
  address: string;
}

/** Defaults: off. */
export function defaultMetricsOptions(): MetricsOptions {
  return { mode: 'none', address: '127.0.0.1:3000' };
}

/** Decodes a `metrics` section as written in a file (every key optional). */
export const metricsOptionsDecoder = struct({
  mode: optional(enumOfStrings(['none', 'prometheus'] as const)),
  address: optional(hostPort),
});
