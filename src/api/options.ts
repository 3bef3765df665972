/** The `grpc_web` section of a node's configuration: where gRPC-web is served for clients, if anywhere. */
import { hostPort } from '../codec/config_values.ts';
import { optional, struct } from '../codec/schema.ts';

/** gRPC-web options. */
export interface GrpcWebOptions {
  /** `host:port`, or empty to disable. */
  address: string;
}

/** Defaults: disabled. */
export function defaultGrpcWebOptions(): GrpcWebOptions {
  return { address: '' };
}

/** Decodes a `grpc_web` section as written in a file (every key optional). */
export const grpcWebOptionsDecoder = struct({
  address: optional(
    hostPort,
    'Where gRPC-web is served for clients (`@oasisprotocol/client`); empty: not served',
  ),
});
