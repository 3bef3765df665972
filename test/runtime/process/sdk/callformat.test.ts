import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { X25519DeoxysII } from '@oasisprotocol/sapphire-paratime';
import { toHex } from '../../../../src/codec/bytes.ts';
import { mraeBoxKey, x25519PublicKey } from '../../../../src/crypto/mrae.ts';
import {
  candidateEpochs,
  openCall,
  parseEvmCallData,
  queryResultNonce,
  sealResult,
  txResultNonce,
} from '../../../../src/runtime/process/sdk/callformat.ts';

const runtimeSecret = Uint8Array.from(randomBytes(32));
const runtimePublic = x25519PublicKey(runtimeSecret);

function envelopeOf(calldata: Uint8Array, client: X25519DeoxysII) {
  const parsed = parseEvmCallData(client.encryptCall(calldata) as Uint8Array);
  assert.equal(parsed.format, 1);
  return parsed.envelope;
}

describe('call data encryption (sapphire-paratime 2.3.0 as the oracle)', () => {
  it('derives the same box key as the client cipher', () => {
    const clientSecret = Uint8Array.from(randomBytes(32));
    const client = X25519DeoxysII.fromSecretKey(clientSecret, runtimePublic);
    assert.equal(toHex(mraeBoxKey(runtimeSecret, client.publicKey)), toHex(client.secretKey));
    assert.equal(toHex(mraeBoxKey(clientSecret, runtimePublic)), toHex(client.secretKey));
  });

  it('opens what the client encrypts, and the client decrypts the sealed result', () => {
    const calldata = Uint8Array.from(randomBytes(100));
    const client = X25519DeoxysII.ephemeral(runtimePublic, 7);
    const envelope = envelopeOf(calldata, client);
    assert.equal(envelope.epoch, 7n);
    assert.deepEqual(candidateEpochs(envelope, 9n), [7n]);
    const opened = openCall(envelope, runtimeSecret);
    assert.equal(toHex(opened.data), toHex(calldata));
    const output = Uint8Array.from(randomBytes(64));
    for (const nonce of [txResultNonce(12n, 3), queryResultNonce(envelope.nonce)]) {
      const sealed = sealResult(opened, nonce, output);
      assert.ok(!Buffer.from(sealed).includes(Buffer.from(output)), 'result is not in the clear');
      assert.equal(toHex(client.decryptResult(sealed) as Uint8Array), toHex(output));
    }
  });

  it('keeps an explicit epoch 0: the key of epoch 0 opens it even epochs later', () => {
    // sapphire-paratime sends the epoch its key came with, 0 on a young localnet; read as "no epoch" it
    // would be tried against the current and previous epochs' keys only and fail to open.
    const client = X25519DeoxysII.ephemeral(runtimePublic, 0);
    const envelope = envelopeOf(Uint8Array.of(1, 2, 3), client);
    assert.equal(envelope.epoch, 0n);
    assert.deepEqual(candidateEpochs(envelope, 3n, 1000n), [0n]);
    assert.throws(() => candidateEpochs(envelope, 6n), { module: 'core', code: 18 });
  });

  it('refuses a tampered envelope, another key and stale or future epochs with core 18', () => {
    const client = X25519DeoxysII.ephemeral(runtimePublic, 3);
    const envelope = envelopeOf(Uint8Array.of(1, 2, 3), client);
    const tampered = { ...envelope, data: envelope.data.slice() };
    tampered.data[0]! ^= 1;
    const code18 = { module: 'core', code: 18 };
    assert.throws(() => openCall(tampered, runtimeSecret), { ...code18, message: 'decryption failed' });
    assert.throws(() => openCall(envelope, Uint8Array.from(randomBytes(32))), code18);
    assert.throws(() => candidateEpochs(envelope, 2n), { ...code18, message: 'epoch in the future' });
    assert.throws(() => candidateEpochs(envelope, 9n), { ...code18, message: 'epoch too far in the past' });
    assert.deepEqual(candidateEpochs({ ...envelope, epoch: undefined }, 4n), [4n, 3n]);
  });

  it('passes plain calldata through and unwraps a plain Call', () => {
    const abi = Uint8Array.from(
      Buffer.from('a9059cbb00000000000000000000000000000000000000000000000000000001', 'hex'),
    );
    assert.deepEqual(parseEvmCallData(abi), { format: 0, data: abi });
    assert.deepEqual(parseEvmCallData(new Uint8Array(0)), { format: 0, data: new Uint8Array(0) });
    // cbor({body: h'0102'})
    const plainCall = Uint8Array.from([0xa1, 0x64, 0x62, 0x6f, 0x64, 0x79, 0x42, 1, 2]);
    assert.deepEqual(parseEvmCallData(plainCall), { format: 0, data: Uint8Array.of(1, 2) });
    // cbor({body: {}, format: 2})
    const unknown = Uint8Array.from([
      0xa2,
      0x64,
      0x62,
      0x6f,
      0x64,
      0x79,
      0xa0,
      0x66,
      ...Buffer.from('format'),
      0x02,
    ]);
    assert.throws(() => parseEvmCallData(unknown), { module: 'core', code: 18 });
  });
});
