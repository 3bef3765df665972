import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { toBase64, toHex } from '../../../src/codec/bytes.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import {
  generateRoleKey,
  loadPrivateKeyFile,
  loadRoleKey,
  loadTlsKey,
} from '../../../src/crypto/signer/file_signer.ts';
import { KeyFileError } from '../../../src/crypto/signer/key_files.ts';
import { generateNodeIdentity, loadNodeIdentity } from '../../../src/crypto/signer/node_identity.ts';
import { encodePem } from '../../../src/crypto/signer/pem.ts';

const root = mkdtempSync(join(tmpdir(), 'oasis-ts-signer-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = () => join(root, `d${counter++}`);
const mode = (path: string) => statSync(path).mode & 0o777;
const SEED1 = new Uint8Array(32).fill(1);

describe('file signer key files', () => {
  it('writes entity.pem exactly as oasis-core does (ED25519 PRIVATE KEY, seed || public key), 0600 in 0700', () => {
    const dir = freshDir();
    const pair = generateRoleKey(dir, 'entity', SEED1);
    const text = readFileSync(join(dir, 'entity.pem'), 'utf8');
    const b64 = toBase64(new Uint8Array([...SEED1, ...pair.publicKey]));
    assert.equal(
      text,
      `-----BEGIN ED25519 PRIVATE KEY-----\n${b64.slice(0, 64)}\n${b64.slice(64)}\n-----END ED25519 PRIVATE KEY-----\n`,
    );
    assert.equal(mode(dir), 0o700);
    assert.equal(mode(join(dir, 'entity.pem')), 0o600);
    assert.equal(toHex(loadRoleKey(dir, 'entity').publicKey), toHex(pair.publicKey));
  });

  it('never overwrites an existing key', () => {
    const dir = freshDir();
    generateRoleKey(dir, 'entity', SEED1);
    const before = readFileSync(join(dir, 'entity.pem'), 'utf8');
    assert.throws(() => generateRoleKey(dir, 'entity'), /entity\.pem: already exists, refusing to overwrite/);
    assert.equal(readFileSync(join(dir, 'entity.pem'), 'utf8'), before);
  });

  it('refuses key files and directories open to group or others, naming them', () => {
    const dir = freshDir();
    generateRoleKey(dir, 'entity', SEED1);
    const file = join(dir, 'entity.pem');
    chmodSync(file, 0o640);
    assert.throws(
      () => loadRoleKey(dir, 'entity'),
      (e: Error) => {
        return (
          e instanceof KeyFileError && e.message === `${file}: permissions 0640 are too open (want 0600)`
        );
      },
    );
    const loose = freshDir();
    mkdirSync(loose, { mode: 0o755 });
    chmodSync(loose, 0o755);
    assert.throws(() => generateRoleKey(loose, 'entity'), /permissions 0755 are too open/);
    if (process.getuid?.() === 0) {
      // Only root can hand a directory to another user; elsewhere this case cannot be set up.
      const foreign = freshDir();
      mkdirSync(foreign, { mode: 0o700 });
      chownSync(foreign, 12345, 12345);
      assert.throws(() => generateRoleKey(foreign, 'entity'), /owned by uid 12345, not by the current user/);
    }
  });

  it('refuses garbage, wrong type, trailing data, wrong length and a mismatched public key', () => {
    const dir = freshDir();
    mkdirSync(dir, { mode: 0o700 });
    const file = join(dir, 'entity.pem');
    const good = Ed25519KeyPair.fromSeed(SEED1);
    const other = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(2));
    const cases: Array<[string, RegExp]> = [
      ['hello world', /not a single PEM block/],
      [encodePem('PRIVATE KEY', good.expandedPrivateKey()), /type is "PRIVATE KEY"/],
      [`${encodePem('ED25519 PRIVATE KEY', good.expandedPrivateKey())}junk`, /not a single PEM block/],
      [encodePem('ED25519 PRIVATE KEY', good.seed()), /malformed private key: 32 bytes/],
      [
        encodePem('ED25519 PRIVATE KEY', new Uint8Array([...good.seed(), ...other.publicKey])),
        /public key does not match the private key/,
      ],
      [
        '-----BEGIN ED25519 PRIVATE KEY-----\n!!!!\n-----END ED25519 PRIVATE KEY-----\n',
        /not a single PEM block/,
      ],
    ];
    for (const [contents, expected] of cases) {
      writeFileSync(file, contents, { mode: 0o600 });
      assert.throws(
        () => loadPrivateKeyFile(file),
        (e: Error) => e instanceof KeyFileError && e.message.startsWith(file) && expected.test(e.message),
        String(expected),
      );
    }
    assert.throws(() => loadPrivateKeyFile(join(dir, 'missing.pem')), /missing\.pem: does not exist/);
  });

  it('generates a whole node identity, each key in its own 0600 file, and loads it back', () => {
    const dir = freshDir();
    const identity = generateNodeIdentity(dir);
    const files = [
      'identity.pem',
      'identity_pub.pem',
      'p2p.pem',
      'p2p_pub.pem',
      'p2p_entropy.pem',
      'consensus.pem',
      'consensus_pub.pem',
      'vrf.pem',
      'vrf_pub.pem',
      'tls_identity.pem',
    ];
    for (const f of files) assert.equal(mode(join(dir, f)), 0o600, f);
    const keys = Object.values(identity).map((k) => toHex(k.publicKey));
    assert.equal(new Set(keys).size, 5, 'five distinct keys');
    const loaded = loadNodeIdentity(dir);
    assert.deepEqual(
      Object.values(loaded).map((k) => toHex(k.publicKey)),
      keys,
    );
    // The TLS key is standard PKCS#8 that OpenSSL reads to the same public key.
    const tlsPem = readFileSync(join(dir, 'tls_identity.pem'), 'utf8');
    assert.match(tlsPem, /^-----BEGIN PRIVATE KEY-----\n/);
    const spki = createPublicKey(createPrivateKey(tlsPem)).export({ format: 'der', type: 'spki' });
    assert.equal(toHex(spki.subarray(-32)), toHex(loadTlsKey(dir).publicKey));
    // A public-key companion that does not match is refused.
    chmodSync(join(dir, 'vrf_pub.pem'), 0o600);
    writeFileSync(join(dir, 'vrf_pub.pem'), encodePem('ED25519 PUBLIC KEY', identity.node.publicKey));
    assert.throws(() => loadNodeIdentity(dir), /vrf_pub\.pem: public key does not match vrf\.pem/);
    assert.throws(() => generateNodeIdentity(dir), /already exists/);
  });
});
