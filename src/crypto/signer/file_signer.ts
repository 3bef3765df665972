/**
 * The file signer backend, as oasis-core's `signers/file`: one Ed25519 key per role in `<dir>/<role>.pem`
 * (PEM type `ED25519 PRIVATE KEY`, 64 bytes = seed || public key), a public-key companion file for node
 * roles, and the TLS key as PKCS#8 `PRIVATE KEY`. Keys are generated into 0600 files inside a 0700
 * directory and never overwritten; loading refuses loose permissions, garbage, wrong lengths and
 * mismatched public keys, naming the file.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { bytesEqual, concatBytes } from '../../codec/bytes.ts';
import { Ed25519KeyPair, PUBLIC_KEY_SIZE, SEED_SIZE } from '../ed25519.ts';
import { ensureKeyDir, KeyFileError, pathExists, readSecretFile, writeNewSecretFile } from './key_files.ts';
import { decodePem, encodePem } from './pem.ts';

/** PEM type of a file-signer private key. */
export const PRIVATE_KEY_PEM_TYPE = 'ED25519 PRIVATE KEY';
/** PEM type of a public-key companion file (`identity_pub.pem`, …). */
export const PUBLIC_KEY_PEM_TYPE = 'ED25519 PUBLIC KEY';
/** PEM type of the P2P static entropy file. */
export const STATIC_ENTROPY_PEM_TYPE = 'STATIC ENTROPY';
/** PEM type of the TLS key (PKCS#8, as Go's x509.MarshalPKCS8PrivateKey). */
export const TLS_KEY_PEM_TYPE = 'PRIVATE KEY';

/** Signer roles and their key files, named as oasis-core names them. */
export const SignerRoles = Object.freeze({
  entity: { file: 'entity.pem', publicFile: undefined },
  node: { file: 'identity.pem', publicFile: 'identity_pub.pem' },
  p2p: { file: 'p2p.pem', publicFile: 'p2p_pub.pem' },
  consensus: { file: 'consensus.pem', publicFile: 'consensus_pub.pem' },
  vrf: { file: 'vrf.pem', publicFile: 'vrf_pub.pem' },
});
/** A signer role name. */
export type SignerRole = keyof typeof SignerRoles;

/** The P2P static entropy file (32 random bytes independent of the key). */
export const P2P_ENTROPY_FILE = 'p2p_entropy.pem';
/** The node's TLS key file. */
export const TLS_KEY_FILE = 'tls_identity.pem';

const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

function freshSeed(seed?: Uint8Array): Uint8Array {
  return seed ?? new Uint8Array(randomBytes(SEED_SIZE));
}

function decodeIn(path: string, type: string, text: string): Uint8Array {
  try {
    return decodePem(type, text);
  } catch (err) {
    throw new KeyFileError(path, (err as Error).message);
  }
}

/** The key pair stored in a file-signer PEM, checked for length and for a matching public key. */
export function loadPrivateKeyFile(path: string): Ed25519KeyPair {
  const data = decodeIn(path, PRIVATE_KEY_PEM_TYPE, readSecretFile(path));
  if (data.length !== SEED_SIZE + PUBLIC_KEY_SIZE) {
    throw new KeyFileError(path, `malformed private key: ${data.length} bytes, expected 64`);
  }
  const pair = Ed25519KeyPair.fromSeed(data.subarray(0, SEED_SIZE));
  if (!bytesEqual(pair.publicKey, data.subarray(SEED_SIZE))) {
    throw new KeyFileError(path, 'public key does not match the private key');
  }
  return pair;
}

/** Generates the key of `role` in `dir` (optionally from a given seed, for tests and fixtures). */
export function generateRoleKey(dir: string, role: SignerRole, seed?: Uint8Array): Ed25519KeyPair {
  ensureKeyDir(dir);
  const { file, publicFile } = SignerRoles[role];
  const paths = [file, publicFile, role === 'p2p' ? P2P_ENTROPY_FILE : undefined]
    .filter((f): f is string => f !== undefined)
    .map((f) => join(dir, f));
  for (const path of paths)
    if (pathExists(path)) throw new KeyFileError(path, 'already exists, refusing to overwrite');
  const pair = Ed25519KeyPair.fromSeed(freshSeed(seed));
  writeNewSecretFile(join(dir, file), encodePem(PRIVATE_KEY_PEM_TYPE, pair.expandedPrivateKey()));
  if (publicFile) writeNewSecretFile(join(dir, publicFile), encodePem(PUBLIC_KEY_PEM_TYPE, pair.publicKey));
  if (role === 'p2p') {
    writeNewSecretFile(join(dir, P2P_ENTROPY_FILE), encodePem(STATIC_ENTROPY_PEM_TYPE, randomBytes(32)));
  }
  return pair;
}

/** Loads the key of `role` from `dir`, checking its public-key companion file when there is one. */
export function loadRoleKey(dir: string, role: SignerRole): Ed25519KeyPair {
  const { file, publicFile } = SignerRoles[role];
  const pair = loadPrivateKeyFile(join(dir, file));
  if (publicFile) {
    const path = join(dir, publicFile);
    if (pathExists(path)) {
      const pub = decodeIn(path, PUBLIC_KEY_PEM_TYPE, readSecretFile(path));
      if (!bytesEqual(pub, pair.publicKey)) {
        throw new KeyFileError(path, `public key does not match ${file}`);
      }
    }
  }
  return pair;
}

/** Generates the node's TLS key (Ed25519, PKCS#8 PEM as oasis-core's crypto/tls writes it). */
export function generateTlsKey(dir: string, seed?: Uint8Array): Ed25519KeyPair {
  ensureKeyDir(dir);
  const pair = Ed25519KeyPair.fromSeed(freshSeed(seed));
  const der = concatBytes(PKCS8_ED25519_PREFIX, pair.seed());
  writeNewSecretFile(join(dir, TLS_KEY_FILE), encodePem(TLS_KEY_PEM_TYPE, der));
  return pair;
}

/** Loads the node's TLS key. */
export function loadTlsKey(dir: string): Ed25519KeyPair {
  const path = join(dir, TLS_KEY_FILE);
  const der = decodeIn(path, TLS_KEY_PEM_TYPE, readSecretFile(path));
  const prefix = der.subarray(0, PKCS8_ED25519_PREFIX.length);
  if (der.length !== PKCS8_ED25519_PREFIX.length + SEED_SIZE || !bytesEqual(prefix, PKCS8_ED25519_PREFIX)) {
    throw new KeyFileError(path, 'not an Ed25519 PKCS#8 private key');
  }
  return Ed25519KeyPair.fromSeed(der.subarray(PKCS8_ED25519_PREFIX.length));
}
