/**
 * The `evm` module's read-only queries, in the shapes client-rt's `evm` wrapper decodes: `evm.Balance
 * {address}` → u128 quantity, `evm.Code {address}` → bstr, `evm.Storage {address, index}` → 32 bytes,
 * `evm.SimulateCall` → return data, `evm.Parameters` → `{gas_costs: {}}`. Other methods are the accounts
 * module's (`accounts.*`, `core.*`), answered as the accounts ParaTime answers them, except that
 * `core.EstimateGas` of an `evm.*` call simulates it in the EVM.
 */
import type { CborValue } from '../../../../codec/cbor.ts';
import { quantityToBytes } from '../../../../codec/quantity.ts';
import { bytes, struct } from '../../../../codec/schema.ts';
import type { StateReader } from '../../../../state/api.ts';
import type { TxEnvironment } from '../accounts/dispatch.ts';
import { NATIVE_DENOMINATION } from '../accounts/params.ts';
import { accountsQuery } from '../accounts/queries.ts';
import { getBalance } from '../accounts/state.ts';
import { ETH_ADDRESS_SIZE, oasisAddressOfEth } from './address.ts';
import { decodeArgs } from './args.ts';
import { PLAIN_QUERIES, type QueryMode } from './call_data.ts';
import type { EvmBlock, EvmEngine } from './engine.ts';
import { estimateEvmGas, isEvmEstimate } from './estimate.ts';
import { EvmMethods } from './params.ts';
import { simulateCall } from './simulate.ts';
import { getCode, getStorage, WORD_SIZE } from './state.ts';

const ESTIMATE_GAS = 'core.EstimateGas';
const addressArgs = struct({ address: bytes(ETH_ADDRESS_SIZE) });
const storageArgs = struct({ address: bytes(ETH_ADDRESS_SIZE), index: bytes(WORD_SIZE) });

/** Answers a query of the EVM ParaTime. */
export async function evmQuery(
  engine: EvmEngine,
  accounts: TxEnvironment,
  state: StateReader,
  method: string,
  args: CborValue,
  block: EvmBlock,
  mode: QueryMode = PLAIN_QUERIES,
): Promise<CborValue> {
  switch (method) {
    case EvmMethods.balance: {
      const { address } = decodeArgs(addressArgs, args);
      return quantityToBytes(getBalance(state, oasisAddressOfEth(address), NATIVE_DENOMINATION));
    }
    case EvmMethods.code:
      return getCode(state, decodeArgs(addressArgs, args).address);
    case EvmMethods.storage: {
      const { address, index } = decodeArgs(storageArgs, args);
      return getStorage(state, address, index);
    }
    case EvmMethods.simulateCall:
      return simulateCall(engine, state, args, block, mode);
    case EvmMethods.parameters:
      return { gas_costs: {} };
    case ESTIMATE_GAS:
      if (isEvmEstimate(args)) return estimateEvmGas(engine, state, args, block, mode);
      return accountsQuery(accounts, state, method, args);
    default:
      return accountsQuery(accounts, state, method, args);
  }
}
