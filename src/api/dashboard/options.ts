/** The `dashboard` section of a node's configuration: where the web dashboard is served, if anywhere. */
import { hostPort } from '../../codec/config_values.ts';
import { optional, struct } from '../../codec/schema.ts';

/** Dashboard options. */
export interface DashboardOptions {
  /** `host:port`, or empty to disable (the default: a node serves no web pages unless asked to). */
  address: string;
}

/** Defaults: disabled. */
export function defaultDashboardOptions(): DashboardOptions {
  return { address: '' };
}

/** Decodes a `dashboard` section as written in a file (every key optional). */
export const dashboardOptionsDecoder = struct({
  address: optional(hostPort, 'Where the web dashboard is served; empty: not served'),
});
