import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ed25519KeyPair, verifyRaw } from '../../src/crypto/ed25519.ts';
import { VerifyPool } from '../../src/crypto/verify_pool.ts';

/** A mix of valid, wrong, malformed and small-order items, each with what `verifyRaw` says of it. */
function items() {
  const out: Array<{ publicKey: Uint8Array; message: Uint8Array; signature: Uint8Array }> = [];
  for (let i = 0; i < 300; i++) {
    const key = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(i % 7));
    const message = new Uint8Array(1 + (i % 40)).fill(i);
    const signature = key.signRaw(message);
    switch (i % 6) {
      case 0:
        out.push({ publicKey: key.publicKey, message, signature });
        break;
      case 1: {
        const bad = signature.slice();
        bad[5]! ^= 1;
        out.push({ publicKey: key.publicKey, message, signature: bad });
        break;
      }
      case 2:
        out.push({ publicKey: key.publicKey, message: message.subarray(1), signature });
        break;
      case 3:
        out.push({ publicKey: key.publicKey.subarray(1), message, signature });
        break;
      case 4: // the identity point as public key: small order
        out.push({ publicKey: new Uint8Array(32).fill(0).fill(1, 0, 1), message, signature });
        break;
      default: {
        // A window on a larger buffer, as decoded envelopes give.
        const backing = new Uint8Array(200);
        backing.set(signature, 17);
        out.push({ publicKey: key.publicKey, message, signature: backing.subarray(17, 81) });
      }
    }
  }
  return out;
}

describe('verification worker pool', { timeout: 60_000 }, () => {
  it('answers exactly as verifyRaw, for many concurrent requests', async () => {
    const pool = new VerifyPool({ maxBatch: 64 });
    try {
      const all = items();
      const got = await Promise.all(all.map((x) => pool.verify(x.publicKey, x.message, x.signature)));
      const want = all.map((x) => verifyRaw(x.publicKey, x.message, x.signature));
      assert.deepEqual(got, want);
      assert.ok(want.includes(true) && want.includes(false));
    } finally {
      await pool.close();
    }
  });

  it('sends the requests of one turn of the event loop to a worker as one batch', async () => {
    const pool = new VerifyPool();
    try {
      const all = items().filter((x) => x.publicKey.length === 32 && x.signature.length === 64);
      const got = await Promise.all(all.map((x) => pool.verify(x.publicKey, x.message, x.signature)));
      assert.deepEqual(
        got,
        all.map((x) => verifyRaw(x.publicKey, x.message, x.signature)),
      );
      assert.equal(pool.batchesSent, 1);
    } finally {
      await pool.close();
    }
  });

  it('still answers after it is closed (on the calling thread)', async () => {
    const pool = new VerifyPool();
    await pool.close();
    const all = items().slice(0, 12);
    const got = await Promise.all(all.map((x) => pool.verify(x.publicKey, x.message, x.signature)));
    assert.deepEqual(
      got,
      all.map((x) => verifyRaw(x.publicKey, x.message, x.signature)),
    );
  });
});
