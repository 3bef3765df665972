/**
 * Runtime-sdk transactions as a wallet makes them: a client-rt call wrapper with its body, one Ed25519
 * signer (the official client's NaclSigner), fee and gas, signed for a runtime's chain context — the
 * bytes a ParaTime test feeds its runtime.
 */
import * as oasis from '@oasisprotocol/client';
import * as oasisRT from '@oasisprotocol/client-rt';

/** How to sign. */
export interface SdkTxOptions {
  signer: oasis.signature.NaclSigner;
  nonce: bigint;
  /** Fee in the native denomination (default 10). */
  fee?: bigint;
  gas?: bigint;
  /** Consensus messages the transaction may emit. */
  messages?: number;
  /** Consensus chain context signed for. */
  chain: string;
}

/** Signs a call of `wrapper` with `body`; returns the CBOR UnverifiedTransaction. */
export async function signSdkTx(
  wrapper: oasisRT.wrapper.TransactionWrapper<unknown, void>,
  body: unknown,
  o: SdkTxOptions,
): Promise<Uint8Array> {
  wrapper.setBody(body);
  wrapper.setSignerInfo([{ address_spec: { signature: { ed25519: o.signer.public() } }, nonce: o.nonce }]);
  wrapper.setFeeAmount([oasis.quantity.fromBigInt(o.fee ?? 10n), oasisRT.token.NATIVE_DENOMINATION]);
  wrapper.setFeeGas(o.gas ?? 10_000n);
  if (o.messages !== undefined) wrapper.setFeeConsensusMessages(o.messages);
  await wrapper.sign([new oasis.signature.BlindContextSigner(o.signer)], o.chain);
  return oasis.misc.toCBOR(wrapper.unverifiedTransaction);
}
