/** The shape of a JSON-RPC method: positional params in, a JSON-ready result (or a JsonRpcError) out. */

/** A WebSocket connection's side of `eth_subscribe`: where notifications go. */
export interface SubscriptionSink {
  /** Sends a notification for subscription `id`. */
  notify(id: string, result: unknown): void;
  /** Registers a subscription's cancel function under `id`. */
  add(id: string, cancel: () => void): void;
  /** Cancels subscription `id`; false when unknown. */
  remove(id: string): boolean;
}

/** Per-request context. */
export interface RpcContext {
  /** Present on WebSocket connections only. */
  subscriptions?: SubscriptionSink;
}

/** A method handler. */
export type RpcMethod = (params: unknown[], ctx: RpcContext) => unknown;

/** Methods by name. */
export type RpcMethods = Record<string, RpcMethod>;
