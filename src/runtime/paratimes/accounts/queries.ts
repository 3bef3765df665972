/**
 * Read-only queries, answered in the shapes `@oasisprotocol/client-rt`'s wrappers decode:
 * `accounts.Nonce {address}` → u64, `accounts.Balances {address}` → `{balances: Map<denomination, quantity>}`,
 * `core.MinGasPrice` → `Map<denomination, quantity>`, `core.EstimateGas {caller?, tx}` → u64.
 */
import type { CborValue } from '../../../codec/cbor.ts';
import { quantityToBytes } from '../../../codec/quantity.ts';
import { bytes, struct } from '../../../codec/schema.ts';
import { ADDRESS_SIZE } from '../../../crypto/address.ts';
import { CodedError } from '../../../errors.ts';
import type { StateReader } from '../../../state/api.ts';
import { CoreErrorCode, coreError } from '../../sdk/errors.ts';
import type { TxEnvironment } from './dispatch.ts';
import { estimateGas } from './estimate.ts';
import { ACCOUNTS_MODULE, AccountsErrorCode, Methods, NATIVE_DENOMINATION } from './params.ts';
import { getBalances, getNonce } from './state.ts';

const addressArgs = struct({ address: bytes(ADDRESS_SIZE) });

function decodeAddress(args: CborValue): Uint8Array {
  try {
    return addressArgs(args, 'args').address;
  } catch (err) {
    throw new CodedError(ACCOUNTS_MODULE, AccountsErrorCode.invalidArgument, (err as Error).message);
  }
}

/** Answers a query; unknown methods fail with core/3. */
export function accountsQuery(
  env: TxEnvironment,
  state: StateReader,
  method: string,
  args: CborValue,
): CborValue {
  switch (method) {
    case Methods.minGasPrice:
      return new Map([[NATIVE_DENOMINATION, quantityToBytes(env.minGasPrice)]]) as CborValue;
    case Methods.estimateGas:
      return estimateGas(state, args);
    case Methods.nonce:
      return getNonce(state, decodeAddress(args));
    case Methods.balances: {
      const balances = new Map<Uint8Array, Uint8Array>();
      for (const [denomination, amount] of getBalances(state, decodeAddress(args))) {
        balances.set(denomination, quantityToBytes(amount));
      }
      return { balances } as CborValue;
    }
    default:
      throw coreError(CoreErrorCode.invalidMethod, `unknown query ${JSON.stringify(method)}`);
  }
}
