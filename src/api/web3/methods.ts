/** Every method the Ethereum JSON-RPC endpoint serves, over one backend, with its limits. */
import type { Web3Backend } from './backend.ts';
import { chainMethods } from './chain_methods.ts';
import { feeHistoryMethods } from './fee_history.ts';
import { type FilterLimits, filterMethods } from './filters.ts';
import { logJson } from './format.ts';
import { minGasPrice } from './gas_price.ts';
import { parseLogFilter, queryLogs } from './log_filter.ts';
import type { RpcMethods } from './method.ts';
import { oasisMethods } from './oasis_methods.ts';
import { stateMethods } from './state_methods.ts';
import { subscriptionMethods } from './subscriptions.ts';

/** The method table. */
export function web3Methods(b: Web3Backend, limits: FilterLimits): RpcMethods {
  return {
    ...chainMethods(b),
    ...stateMethods(b),
    ...feeHistoryMethods(b, () => minGasPrice(b)),
    eth_getLogs: ([filter]) => queryLogs(b, parseLogFilter(filter, 0), limits).map(logJson),
    ...filterMethods(b, limits),
    ...subscriptionMethods(b),
    ...oasisMethods(b),
  };
}
