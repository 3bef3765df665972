/**
 * A load generator's Ethereum signer: ethers builds and serializes the transaction, libsecp256k1 (the
 * `secp256k1` package's native binding, the one the node recovers senders with) signs it, ~50 µs instead of
 * ethers' ~1 ms pure-JS signature — so a benchmark's generator does not spend the machine's cores the nodes
 * under test need.
 */
import { createRequire } from 'node:module';
import { getBytes, Signature, Transaction, type TransactionLike, type Wallet } from 'ethers';

interface NativeSigner {
  ecdsaSign(message: Uint8Array, privateKey: Uint8Array): { signature: Uint8Array; recid: number };
}

const native = createRequire(import.meta.url)('secp256k1') as NativeSigner;

/** The raw signed transaction (0x-hex) and its hash, as `wallet.signTransaction` would give. */
export function signFast(wallet: Wallet, fields: TransactionLike<string>): { raw: string; hash: string } {
  const tx = Transaction.from(fields);
  const { signature, recid } = native.ecdsaSign(getBytes(tx.unsignedHash), getBytes(wallet.privateKey));
  tx.signature = Signature.from({
    r: `0x${Buffer.from(signature.subarray(0, 32)).toString('hex')}`,
    s: `0x${Buffer.from(signature.subarray(32)).toString('hex')}`,
    v: 27 + recid,
  });
  return { raw: tx.serialized, hash: tx.hash! };
}
