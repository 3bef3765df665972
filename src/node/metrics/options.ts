/**
 * The `metrics` section of a node's configuration, as oasis-node's: `mode: pull` serves Prometheus metrics on
 * `address` for Prometheus to scrape; `none` (the default) serves nothing.
 */
import { enumOfStrings, hostPort } from '../../codec/config_values.ts';
import { optional, struct } from '../../codec/schema.ts';

/** Metrics options. */
export interface MetricsOptions {
  mode: 'none' | 'pull';
  address: string;
}

/** Defaults: off. */
export function defaultMetricsOptions(): MetricsOptions {
  return { mode: 'none', address: '127.0.0.1:3000' };
}

/** Decodes a `metrics` section as written in a file (every key optional). */
export const metricsOptionsDecoder = struct({
  mode: optional(
    enumOfStrings(['none', 'pull'] as const),
    '`pull` serves Prometheus metrics; `none` serves nothing',
  ),
  address: optional(hostPort, 'Where Prometheus metrics are served (at /metrics) in `pull` mode'),
});
