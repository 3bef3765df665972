/**
 * Read-only queries, answered in the shapes `@oasisprotocol/client-rt`'s wrappers decode:
 * `accounts.Nonce {address}` → u64, `accounts.Balances {address}` → `{balances: Map<denomination, quantity>}`,
 * `accounts.Addresses {denomination}` → addresses, `accounts.DenominationInfo {denomination}` → `{decimals}`,
 * `core.MinGasPrice` → `Map<denomination, quantity>`, `core.EstimateGas {caller?, tx}` → u64,
 * `core.RuntimeInfo` → versions and the modules' methods.
 */

import { bytesEqual } from '../../../../codec/bytes.ts';
import type { CborValue } from '../../../../codec/cbor.ts';
import { quantityToBytes } from '../../../../codec/quantity.ts';
import { bytes, type Decoder, struct } from '../../../../codec/schema.ts';
import { ADDRESS_SIZE } from '../../../../crypto/address.ts';
import { CodedError } from '../../../../errors.ts';
import type { StateReader } from '../../../../state/api.ts';
import { CoreErrorCode, coreError } from '../../../protocol/core_errors.ts';
import { runtimeDecimals } from '../../sdk/consensus.ts';
import type { TxEnvironment } from './dispatch.ts';
import { estimateGas } from './estimate.ts';
import { ACCOUNTS_MODULE, AccountsErrorCode, Methods, NATIVE_DENOMINATION } from './params.ts';
import { runtimeInfo } from './runtime_info.ts';
import { getAddresses, getBalances, getNonce } from './state.ts';

const addressArgs = struct({ address: bytes(ADDRESS_SIZE) });
const denominationArgs = struct({ denomination: bytes() });

function decodeArgs<T>(decoder: Decoder<T>, args: CborValue): T {
  try {
    return decoder(args, 'args');
  } catch (err) {
    throw new CodedError(ACCOUNTS_MODULE, AccountsErrorCode.invalidArgument, (err as Error).message);
  }
}

const decodeAddress = (args: CborValue): Uint8Array => decodeArgs(addressArgs, args).address;

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
      return estimateGas(state, args, env.scalingFactor);
    case Methods.nonce:
      return getNonce(state, decodeAddress(args));
    case Methods.balances: {
      const balances = new Map<Uint8Array, Uint8Array>();
      for (const [denomination, amount] of getBalances(state, decodeAddress(args))) {
        balances.set(denomination, quantityToBytes(amount));
      }
      return { balances } as CborValue;
    }
    case Methods.addresses:
      return getAddresses(state, decodeArgs(denominationArgs, args).denomination);
    case Methods.denominationInfo: {
      const { denomination } = decodeArgs(denominationArgs, args);
      if (!bytesEqual(denomination, NATIVE_DENOMINATION)) {
        throw new CodedError(ACCOUNTS_MODULE, AccountsErrorCode.notFound, 'denomination not found');
      }
      return { decimals: runtimeDecimals(env.scalingFactor) };
    }
    case Methods.runtimeInfo:
      return runtimeInfo(env.version);
    default:
      throw coreError(CoreErrorCode.invalidMethod, `unknown query ${JSON.stringify(method)}`);
  }
}
