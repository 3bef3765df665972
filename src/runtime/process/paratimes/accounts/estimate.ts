/**
 * `core.EstimateGas`: how much gas a transaction would use, as wallets ask before signing. The unsigned
 * transaction is run against a throw-away buffer over the queried state with unlimited gas, its size
 * counted as if signed (one 64-byte signature per signer); nonces and fees are not checked, as in
 * runtime-sdk. A failing call still yields the gas used up to the failure unless `propagate_failures`.
 */
import { type CborValue, encodeCanonical } from '../../../../codec/cbor.ts';
import { anyValue, bool, bytes, optional, struct, U64_MAX } from '../../../../codec/schema.ts';
import { ADDRESS_SIZE } from '../../../../crypto/address.ts';
import { EMPTY_HASH } from '../../../../crypto/hash.ts';
import type { StateReader } from '../../../../state/api.ts';
import { StateOverlay } from '../../../../state/overlay.ts';
import { CoreErrorCode, coreError } from '../../../protocol/core_errors.ts';
import { decodeTransaction, type VerifiedTransaction } from '../../sdk/transaction.ts';
import { GasMeter, intrinsicGas } from './gas.ts';
import { callMethod } from './methods.ts';

const SIGNATURE_PLACEHOLDER = new Uint8Array(64);

const estimateArgs = struct({
  caller: optional(struct({ address: optional(bytes(ADDRESS_SIZE)), eth_address: optional(bytes()) })),
  tx: anyValue,
  propagate_failures: optional(bool),
});

/** Gas the transaction in `args` would use on `state`. */
export function estimateGas(state: StateReader, args: CborValue, scalingFactor: bigint): bigint {
  let decoded: ReturnType<typeof estimateArgs>;
  try {
    decoded = estimateArgs(args, 'args');
  } catch (err) {
    throw coreError(CoreErrorCode.invalidArgument, (err as Error).message);
  }
  const unsigned = decodeTransaction(decoded.tx);
  const signedSize = encodeCanonical([
    encodeCanonical(decoded.tx),
    unsigned.signers.map(() => ({ signature: SIGNATURE_PLACEHOLDER })),
  ]).length;
  const tx: VerifiedTransaction = { ...unsigned, hash: EMPTY_HASH, size: signedSize };
  const gas = new GasMeter(U64_MAX);
  gas.use(intrinsicGas(tx));
  let emitted = 0;
  try {
    callMethod({
      state: new StateOverlay(state),
      tx,
      caller: decoded.caller?.address ?? tx.signers[0]!.address,
      gas,
      scalingFactor,
      emitMessage: () => {
        if (emitted >= tx.fee.consensusMessages) {
          throw coreError(CoreErrorCode.outOfMessageSlots, 'no consensus message slot left');
        }
        emitted++;
      },
      emitEvent: () => {},
    });
  } catch (err) {
    if (decoded.propagate_failures === true) throw err;
  }
  return gas.used;
}
