import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as oasis from '@oasisprotocol/client';
import { toBase64 } from '../../src/codec/bytes.ts';
import { Ed25519KeyPair } from '../../src/crypto/ed25519.ts';
import { Prng } from '../codec/fuzz_helpers.ts';
import { runCli } from './run_cli.ts';

describe('oasis-ts stake pubkey2address', () => {
  it('prints only the address the official client derives, for several keys', async () => {
    const rng = new Prng(51);
    const keys = [0, 1, 2].map(() => Ed25519KeyPair.fromSeed(rng.bytes(32)).publicKey);
    const results = await Promise.all(
      keys.map((k) => runCli(['stake', 'pubkey2address', '--public_key', toBase64(k)])),
    );
    results.forEach((r, i) => {
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      const expected = oasis.staking.addressToBech32(oasis.staking.addressFromPublicKey(keys[i]!));
      assert.equal(r.stdout, `${expected}\n`);
    });
  });

  it('rejects a malformed key with a clear message and status 1', async () => {
    const [short, missing] = await Promise.all([
      runCli(['stake', 'pubkey2address', '--public_key', 'AAAA']),
      runCli(['stake', 'pubkey2address']),
    ]);
    assert.equal(short.code, 1);
    assert.equal(short.stdout, '');
    assert.match(short.stderr, /--public_key: expected a 32-byte key, got 3 bytes/);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /required option '--public_key <base64>' not specified/);
  });
});
