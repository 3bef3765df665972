/**
 * Decoding raw Ethereum transactions as runtime-sdk's `evm` module does: the sender recovered and known
 * by the Ethereum hash ethers computes, a pre-EIP-155 legacy transaction accepted whatever the chain,
 * high-s signatures and other chains refused, and the EIP-1559 price `min(tip, maxFee - base) + base`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRlp, encodeRlp, keccak256, Transaction, toBeHex } from 'ethers';
import { fromHex, toHex } from '../../../../../src/codec/bytes.ts';
import { evmCommon } from '../../../../../src/runtime/process/paratimes/evm/engine.ts';
import { decodeEthTransaction } from '../../../../../src/runtime/process/paratimes/evm/raw_tx.ts';
import { alice, bob, CHAIN_ID } from './helpers.ts';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const common = evmCommon(CHAIN_ID);
const decode = (raw: string, baseFee = 0n) => decodeEthTransaction(fromHex(raw.slice(2)), common, baseFee);
const refused = (fn: () => unknown, message: RegExp) =>
  assert.throws(fn, (err: unknown) => {
    const e = err as { module: string; code: number; message: string };
    assert.deepEqual([e.module, e.code], ['core', 1]);
    assert.match(e.message, message);
    return true;
  });

describe('raw Ethereum transactions', () => {
  it('accepts a pre-EIP-155 legacy transaction on any chain and recovers its sender', async () => {
    const tx = Transaction.from({
      nonce: 3,
      to: bob.address,
      gasLimit: 50_000n,
      gasPrice: 7n,
      value: 9n,
      chainId: 0n,
      type: 0,
    });
    tx.signature = alice.signingKey.sign(tx.unsignedHash);
    const decoded = decode(tx.serialized);
    assert.equal(`0x${toHex(decoded.sender)}`, alice.address.toLowerCase());
    assert.equal(`0x${toHex(decoded.hash)}`, tx.hash);
    assert.deepEqual(
      [decoded.nonce, decoded.gasLimit, decoded.gasPrice, decoded.value],
      [3n, 50_000n, 7n, 9n],
    );
    assert.equal(`0x${toHex(decoded.publicKey)}`, alice.signingKey.compressedPublicKey);
  });

  it('refuses another chain, a high-s signature and a tampered body', async () => {
    const other = await alice.signTransaction({
      chainId: 1n,
      nonce: 0,
      to: bob.address,
      gasLimit: 50_000n,
      gasPrice: 1n,
      type: 0,
    });
    refused(() => decode(other), /chain/i);
    const ours = Transaction.from(
      await alice.signTransaction({
        chainId: CHAIN_ID,
        nonce: 0,
        to: bob.address,
        gasLimit: 50_000n,
        gasPrice: 1n,
        type: 2,
        maxFeePerGas: 1n,
        maxPriorityFeePerGas: 0n,
      }),
    );
    // ethers refuses to build a high-s signature, so the envelope is re-encoded by hand.
    const fields = decodeRlp(`0x${ours.serialized.slice(4)}`) as string[];
    const s = BigInt(fields[11]!);
    fields[9] = fields[9] === '0x' ? '0x01' : '0x';
    fields[11] = toBeHex(N - s);
    refused(() => decode(`0x02${encodeRlp(fields).slice(2)}`), /s-value|signature/i);
    const tampered = `${ours.serialized.slice(0, 20)}${ours.serialized[20] === '0' ? '1' : '0'}${ours.serialized.slice(21)}`;
    assert.throws(() => {
      const t = decode(tampered);
      // A body change either breaks decoding or recovers someone else.
      if (`0x${toHex(t.sender)}` !== alice.address.toLowerCase())
        throw Object.assign(new Error('other sender'), { module: 'core', code: 1 });
    });
  });

  it('prices EIP-1559 transactions against the base fee (the minimum gas price)', async () => {
    const raw = await alice.signTransaction({
      chainId: CHAIN_ID,
      nonce: 0,
      to: bob.address,
      gasLimit: 50_000n,
      type: 2,
      maxFeePerGas: 1000n,
      maxPriorityFeePerGas: 100n,
    });
    assert.equal(decode(raw, 400n).gasPrice, 500n, 'tip + base');
    assert.equal(decode(raw, 950n).gasPrice, 1000n, 'capped at maxFee');
    refused(() => decode(raw, 1001n), /gas price too low/);
    // maxFee below the tip: ethers will not sign it, so sign the EIP-1559 payload by hand.
    const body = [
      toBeHex(CHAIN_ID),
      '0x',
      toBeHex(100n),
      toBeHex(10n),
      toBeHex(50_000n),
      bob.address,
      '0x',
      '0x',
      [],
    ];
    const sig = alice.signingKey.sign(keccak256(`0x02${encodeRlp(body).slice(2)}`));
    const inverted = `0x02${encodeRlp([...body, sig.yParity === 0 ? '0x' : '0x01', sig.r, sig.s]).slice(2)}`;
    refused(() => decode(inverted), /gas price|maxFeePerGas/i);
  });
});
