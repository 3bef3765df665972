/**
 * The key manager's derivations, oasis-core's `keymanager/src/crypto/kdf.rs` with its non-TEE ("-insecure")
 * customisation strings: from one master secret come the signing key (Ed25519, which signs every published
 * public key), the master-secret checksum, per-epoch ephemeral secrets, and from those the per-runtime
 * key pairs (a 32-byte state key and an X25519 secret from cSHAKE256 over a KMAC256 of runtime ID, key pair
 * ID and epoch). oasis-core draws each ephemeral secret at random and publishes it through consensus; here
 * it is derived from the master secret (KMAC256 over the epoch), so a restarted key manager serves the same
 * keys and no secret has to travel. Pure functions of the master secret: every answer is reproducible.
 */
import { cshake256, kmac256 } from '@noble/hashes/sha3-addons.js';
import { u64be, utf8 } from '../../../codec/bytes.ts';
import { Ed25519KeyPair } from '../../../crypto/ed25519.ts';
import { x25519PublicKey } from '../../../crypto/mrae.ts';
import { type KeyPair, type KeyRequest, signPublicKey } from '../../protocol/keymanager.ts';

/** Size of the master secret. */
export const MASTER_SECRET_SIZE = 32;

/** oasis-core's KDF customisations; the `-insecure` variant is what non-TEE builds use. */
const S = Object.freeze({
  ephemeralKeys: utf8('ekiden-derive-ephemeral-keys-insecure'),
  ephemeralSecret: utf8('ekiden-derive-ephemeral-secret-insecure'),
  runtimeSecret: utf8('ekiden-derive-runtime-secret-insecure'),
  signingKey: utf8('ekiden-derive-signing-key-insecure'),
  masterChecksum: utf8('ekiden-checksum-master-secret-insecure'),
  // Ours: oasis-core has no derivation of an epoch's ephemeral secret (it is random there).
  epochSecret: utf8('oasis-ts/keymanager: ephemeral secret of epoch-insecure'),
});

/** 32-byte state key and X25519 secret from a derived secret (cSHAKE256, 64 bytes). */
function splitKeys(
  seed: Uint8Array,
  customization: Uint8Array,
): { stateKey: Uint8Array; secret: Uint8Array } {
  const out = cshake256(seed, { personalization: customization, dkLen: 64 });
  return { stateKey: out.slice(0, 32), secret: out.slice(32, 64) };
}

/** Everything derived from one key manager's master secret. */
export class KeyManagerSecrets {
  /** Signs published public keys (oasis-core's runtime signing key, RSK). */
  readonly signer: Ed25519KeyPair;
  /** Checksum of the master secret (in every signed public key). */
  readonly checksum: Uint8Array;
  readonly #master: Uint8Array;

  constructor(master: Uint8Array, keyManagerId: Uint8Array) {
    if (master.length !== MASTER_SECRET_SIZE)
      throw new RangeError(`master secret must be ${MASTER_SECRET_SIZE} bytes`);
    this.#master = master.slice();
    this.signer = Ed25519KeyPair.fromSeed(
      kmac256(master, keyManagerId, { personalization: S.signingKey, dkLen: 32 }),
    );
    this.checksum = kmac256(master, keyManagerId, { personalization: S.masterChecksum, dkLen: 32 });
  }

  /** The ephemeral secret of `epoch`. */
  ephemeralSecret(epoch: bigint): Uint8Array {
    return kmac256(this.#master, u64be(epoch), { personalization: S.epochSecret, dkLen: 32 });
  }

  /** The key pair `request` names, its public key signed. */
  keyPair(request: KeyRequest): KeyPair {
    const { stateKey, secret } =
      request.epoch === undefined
        ? splitKeys(
            kmac256(this.#master, Buffer.concat([request.runtime_id, request.key_pair_id]), {
              personalization: S.runtimeSecret,
              dkLen: 32,
            }),
            S.runtimeSecret,
          )
        : splitKeys(
            kmac256(
              this.ephemeralSecret(request.epoch),
              Buffer.concat([request.runtime_id, request.key_pair_id, u64be(request.epoch)]),
              { personalization: S.ephemeralSecret, dkLen: 32 },
            ),
            S.ephemeralKeys,
          );
    const publicKey = signPublicKey(this.signer, x25519PublicKey(secret), this.checksum, request);
    return { secret, state_key: stateKey, public_key: publicKey };
  }
}
