/**
 * Methods that read or change the ParaTime's state through runtime queries and transaction submission:
 * balances, nonces, code, storage, `eth_call`, `eth_estimateGas`, gas prices and `eth_sendRawTransaction`.
 * State reads run at the block their parameter names (default `latest`: the newest indexed block, so what
 * they see matches the blocks and receipts served).
 */
import { keccak_256 } from '@noble/hashes/sha3.js';
import type { CborValue } from '../../codec/cbor.ts';
import { quantityFromBytes } from '../../codec/quantity.ts';
import { oasisAddressOfEth } from '../../crypto/eth_address.ts';
import { ROUND_LATEST } from '../../runtime/node/client/api.ts';
import { wrapEthereumTx } from '../../runtime/protocol/eth_envelope.ts';
import type { Web3Backend } from './backend.ts';
import { parseBlockParam, stateBlock } from './block_tags.ts';
import { estimateGasArgs, parseCallArgs, simulateCallArgs } from './call_args.ts';
import { RpcErrors } from './errors.ts';
import { minGasPrice } from './gas_price.ts';
import { data, parseAddress, parseData, parseQuantity, quantity } from './hex.ts';
import type { RpcMethods } from './method.ts';
import { queryError, submitError } from './runtime_errors.ts';

/** The state methods over `b`. */
export function stateMethods(b: Web3Backend): RpcMethods {
  const query = async (round: bigint, method: string, args: CborValue): Promise<CborValue> => {
    try {
      return await b.runtimes.query(b.runtimeId, round, method, args);
    } catch (err) {
      throw queryError(err);
    }
  };
  const bytesResult = (v: CborValue): Uint8Array => {
    if (!(v instanceof Uint8Array)) throw RpcErrors.internal('runtime answered with a non-byte value');
    return v;
  };
  /** The block gas limit at `round` (a round the index skipped has the head's). */
  const gasLimit = (round: bigint): bigint =>
    (b.index.blockByNumber(round) ?? b.index.blockByNumber(b.index.head() ?? 0n))?.gasLimit ?? 0n;
  const gasPrice = async (): Promise<string> => quantity(await minGasPrice(b));

  return {
    eth_getBalance: async ([address, block]) => {
      const args = { address: parseAddress(address, 0) };
      const round = stateBlock(b, parseBlockParam(block, 1));
      return quantity(quantityFromBytes(bytesResult(await query(round, 'evm.Balance', args))));
    },
    eth_getTransactionCount: async ([address, block]) => {
      const args = { address: oasisAddressOfEth(parseAddress(address, 0)) };
      const param = parseBlockParam(block, 1);
      // `pending` counts the sender's transactions waiting in the pool past its latest state nonce, so a
      // wallet sending several before the first lands numbers them in sequence (as geth's pending nonce).
      const pending = 'tag' in param && param.tag === 'pending';
      const round = pending ? ROUND_LATEST : stateBlock(b, param);
      const nonce = await query(round, 'accounts.Nonce', args);
      if (typeof nonce !== 'number' && typeof nonce !== 'bigint') throw RpcErrors.internal('bad nonce');
      if (!pending) return quantity(BigInt(nonce));
      return quantity(b.runtimes.pendingNonce(b.runtimeId, args.address, BigInt(nonce)));
    },
    eth_getCode: async ([address, block]) => {
      const args = { address: parseAddress(address, 0) };
      const round = stateBlock(b, parseBlockParam(block, 1));
      return data(bytesResult(await query(round, 'evm.Code', args)));
    },
    eth_getStorageAt: async ([address, slot, block]) => {
      const index = new Uint8Array(32);
      const n = parseQuantity(slot, 1);
      for (let i = 31, v = n; i >= 0 && v > 0n; i--, v >>= 8n) index[i] = Number(v & 0xffn);
      const args = { address: parseAddress(address, 0), index };
      const round = stateBlock(b, parseBlockParam(block, 2));
      return data(bytesResult(await query(round, 'evm.Storage', args)));
    },
    eth_call: async ([call, block]) => {
      const c = parseCallArgs(call, 0);
      const round = stateBlock(b, parseBlockParam(block, 1));
      return data(bytesResult(await query(round, 'evm.SimulateCall', simulateCallArgs(c, gasLimit(round)))));
    },
    eth_estimateGas: async ([call, block]) => {
      const c = parseCallArgs(call, 0);
      const round = stateBlock(b, parseBlockParam(block, 1));
      const gas = await query(round, 'core.EstimateGas', estimateGasArgs(c));
      if (typeof gas !== 'number' && typeof gas !== 'bigint') throw RpcErrors.internal('bad gas estimate');
      return quantity(BigInt(gas));
    },
    eth_gasPrice: () => gasPrice(),
    // Fees are not auctioned: the minimum price is what a transaction pays (the gateway answers the same).
    eth_maxPriorityFeePerGas: () => gasPrice(),
    eth_sendRawTransaction: async ([raw]) => {
      const bytes = parseData(raw, 0);
      if (bytes.length === 0) throw RpcErrors.server('typed transaction too short');
      try {
        await b.runtimes.submitTxNoWait(b.runtimeId, wrapEthereumTx(bytes));
      } catch (err) {
        throw submitError(err);
      }
      return data(keccak_256(bytes));
    },
  };
}
