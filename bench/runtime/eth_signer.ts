/**
 * Signs zero-priced legacy Ethereum transactions with per-sender nonces counted locally, wrapped as the
 * runtime SDK's `evm.ethereum.v0` transaction: what the in-process ERC-20 benchmarks feed a ParaTime batch.
 */
import type { Wallet } from 'ethers';
import { fromHex } from '../../src/codec/bytes.ts';
import { DEFAULT_CHAIN_ID } from '../../src/runtime/process/paratimes/evm/params.ts';
import { wrapEthereumTx } from '../../src/runtime/protocol/eth_envelope.ts';

/** A signer for `to` (null creates a contract, with a deployment's gas limit) and calldata. */
export function legacyEthSigner(
  callGasLimit: bigint,
): (w: Wallet, to: string | null, data: string) => Promise<Uint8Array> {
  const nonces = new Map<string, number>();
  return async (w, to, data) => {
    const nonce = nonces.get(w.address) ?? 0;
    nonces.set(w.address, nonce + 1);
    const raw = await w.signTransaction({
      type: 0,
      chainId: DEFAULT_CHAIN_ID,
      nonce,
      gasPrice: 0n,
      gasLimit: to === null ? 5_000_000n : callGasLimit,
      to,
      data,
    });
    return wrapEthereumTx(fromHex(raw.slice(2)));
  };
}
