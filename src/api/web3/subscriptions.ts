/**
 * `eth_subscribe` over WebSocket: `newHeads` sends each newly indexed block's header, `logs` each new log
 * matching a filter, as `eth_subscription` notifications on the connection that subscribed.
 */
import { randomBytes } from 'node:crypto';
import type { Web3Backend } from './backend.ts';
import { JsonRpcError, RpcErrors } from './errors.ts';
import { headJson, logJson } from './format.ts';
import { parseLogFilter } from './log_filter.ts';
import type { RpcMethods } from './method.ts';

/** Most logs one block may notify per subscription (a filter matching more is cut, as a query would be). */
const MAX_LOGS_PER_BLOCK = 10_000;

/** The subscription methods over `b`. */
export function subscriptionMethods(b: Web3Backend): RpcMethods {
  return {
    eth_subscribe: ([kind, filter], ctx) => {
      const sink = ctx.subscriptions;
      if (sink === undefined) throw new JsonRpcError(-32001, 'notifications not supported');
      const id = `0x${randomBytes(16).toString('hex')}`;
      if (kind === 'newHeads') {
        sink.add(
          id,
          b.index.watch((blk) => sink.notify(id, headJson(blk))),
        );
      } else if (kind === 'logs') {
        const f = parseLogFilter(filter, 1);
        sink.add(
          id,
          b.index.watch((blk) => {
            const q = {
              fromBlock: blk.number,
              toBlock: blk.number,
              addresses: f.addresses,
              topics: f.topics,
            };
            for (const log of b.index.logs(q, MAX_LOGS_PER_BLOCK)) sink.notify(id, logJson(log));
          }),
        );
      } else {
        throw RpcErrors.invalidArgument(0, `no "${String(kind)}" subscription in eth namespace`);
      }
      return id;
    },
    eth_unsubscribe: ([id], ctx) => {
      if (ctx.subscriptions === undefined) throw new JsonRpcError(-32001, 'notifications not supported');
      return typeof id === 'string' && ctx.subscriptions.remove(id);
    },
  };
}
