/**
 * Building and signing runtime-sdk transactions ourselves (for the CLI, load generators and tests that need
 * thousands of transactions): the exact bytes `@oasisprotocol/client-rt` produces for the same inputs.
 */
import type { CborValue } from '../../../codec/cbor.ts';
import { encodeCanonical } from '../../../codec/cbor.ts';
import { quantityToBytes } from '../../../codec/quantity.ts';
import { signerMessage } from '../../../crypto/context.ts';
import type { Ed25519KeyPair } from '../../../crypto/ed25519.ts';
import { TRANSACTION_VERSION } from './transaction.ts';

/** What to sign. */
export interface UnsignedCall {
  method: string;
  body: CborValue;
  nonce: bigint;
  /** Fee in the native denomination. */
  fee: bigint;
  gas: bigint;
  consensusMessages?: number;
}

/** The raw `UnverifiedTransaction` bytes of `call` signed by `signer` under `context` (full signature context). */
export function signRuntimeTransaction(
  signer: Ed25519KeyPair,
  call: UnsignedCall,
  context: string,
): Uint8Array {
  const body = encodeCanonical({
    v: TRANSACTION_VERSION,
    call: { method: call.method, body: call.body },
    ai: {
      si: [{ address_spec: { signature: { ed25519: signer.publicKey } }, nonce: call.nonce }],
      fee: {
        amount: [quantityToBytes(call.fee), new Uint8Array(0)],
        gas: call.gas,
        consensus_messages: call.consensusMessages ?? 0,
      },
    },
  });
  const signature = signer.signRaw(signerMessage(context, body));
  return encodeCanonical([body, [{ signature }]]);
}
