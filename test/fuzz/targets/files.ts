/**
 * Files an operator is handed: genesis documents (JSON, and the canonical CBOR peers exchange), node
 * configuration YAML, and key material (PEM private keys, entity.json, signed entity descriptors).
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addressFromPublicKey } from '../../../src/crypto/address.ts';
import { Ed25519KeyPair } from '../../../src/crypto/ed25519.ts';
import { generateRoleKey, loadPrivateKeyFile } from '../../../src/crypto/signer/file_signer.ts';
import { parseJsonFile, signedFromJson, signedToJson } from '../../../src/crypto/signer/json_files.ts';
import { KeyFileError } from '../../../src/crypto/signer/key_files.ts';
import { buildGenesis } from '../../../src/genesis/builder.ts';
import {
  decodeGenesis,
  encodeGenesis,
  GenesisError,
  genesisFromJson,
  genesisToJson,
} from '../../../src/genesis/document.ts';
import { ConfigError, loadConfig } from '../../../src/node/config.ts';
import { entityFromJson, entityToJson, signEntity } from '../../../src/services/registry/api/entity.ts';
import { type FuzzTarget, sameAfterRoundTrip, text, utf8, valueOrOurs } from '../harness.ts';

const owner = Ed25519KeyPair.fromSeed(new Uint8Array(32).fill(1));
const entity = { v: 2, id: owner.publicKey, nodes: [] };

/**
 * A scratch directory for the file-reading decoders, removed at exit. It is on tmpfs where there is one:
 * creating and truncating a file on the root disk cost five times the decoding itself (config: 690 µs an
 * input, 130 µs on /dev/shm). Each file is created 0600 once and overwritten in place after that.
 */
let scratch: string | undefined;
const created = new Set<string>();
function scratchFile(name: string, contents: Uint8Array): string {
  if (scratch === undefined) {
    const base = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
    const dir = mkdtempSync(join(base, 'oasis-ts-fuzz-files-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  const path = join(scratch, name);
  writeFileSync(path, contents, { mode: 0o600 });
  if (!created.has(path)) {
    chmodSync(path, 0o600);
    created.add(path);
  }
  return path;
}

function sampleGenesis() {
  return buildGenesis({
    chainId: 'fuzz genesis',
    time: 1_700_000_000,
    entities: [signEntity(owner, entity)],
    nodes: [],
    accounts: [{ address: addressFromPublicKey(owner.publicKey), general: 100n, escrow: 0n }],
  });
}

/** genesis.json: parses to a document or a GenesisError; what parses survives the JSON form unchanged. */
export const genesisJson: FuzzTarget = {
  name: 'genesis-json',
  seeds: () => [utf8(genesisToJson(sampleGenesis()))],
  check(data) {
    const doc = valueOrOurs(() => genesisFromJson(text(data)), GenesisError);
    if (doc !== undefined) sameAfterRoundTrip(doc, genesisFromJson(genesisToJson(doc)), 'genesis JSON');
  },
};

/** A genesis document in canonical CBOR (state dumps, peers). */
export const genesisCbor: FuzzTarget = {
  name: 'genesis-cbor',
  seeds: () => [encodeGenesis(sampleGenesis())],
  check(data) {
    const doc = valueOrOurs(() => decodeGenesis(data), GenesisError);
    if (doc !== undefined) sameAfterRoundTrip(doc, decodeGenesis(encodeGenesis(doc)), 'genesis CBOR');
  },
};

/** The node's YAML configuration file, read and validated as `oasis-ts node --config` does. */
export const configFile: FuzzTarget = {
  name: 'config',
  seeds: () =>
    [
      'common:\n  data_dir: /tmp/node\nconsensus:\n  validator: true\n',
      'common:\n  data_dir: d\np2p:\n  port: 26656\n  seeds: []\ngrpc:\n  port: 0\n',
      'runtimes:\n  - id: "8000000000000000000000000000000000000000000000000000000000000000"\n',
    ].map(utf8),
  check(data) {
    valueOrOurs(() => loadConfig(scratchFile('config.yml', data)), ConfigError);
  },
};

/**
 * `[kind][file]`: kind 0 a PEM private key file, 1 entity.json, 2 a signed entity descriptor
 * (entity_genesis.json). Each loads or is refused with our error; what loads survives its own encoding.
 */
export const keyFiles: FuzzTarget = {
  name: 'key-files',
  seeds: () => {
    const dir = mkdtempSync(join(tmpdir(), 'oasis-ts-fuzz-seed-'));
    try {
      generateRoleKey(dir, 'entity', new Uint8Array(32).fill(4));
      const pem = readFileSync(join(dir, 'entity.pem'));
      return [
        Uint8Array.of(0, ...pem),
        Uint8Array.of(1, ...utf8(JSON.stringify(entityToJson(entity)))),
        Uint8Array.of(2, ...utf8(JSON.stringify(signedToJson(signEntity(owner, entity))))),
      ];
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
  check(data) {
    if (data.length === 0) return;
    const file = data.subarray(1);
    switch (data[0]! % 3) {
      case 0: {
        const pair = valueOrOurs(() => loadPrivateKeyFile(scratchFile('key.pem', file)), KeyFileError);
        if (pair !== undefined && pair.publicKey.length !== 32)
          throw new Error('key pair without a public key');
        return;
      }
      case 1: {
        const e = valueOrOurs(() => entityFromJson(parseJsonFile(text(file), 'entity.json'), 'entity.json'));
        if (e !== undefined)
          sameAfterRoundTrip(
            e,
            entityFromJson(JSON.parse(JSON.stringify(entityToJson(e))), 'again'),
            'entity',
          );
        return;
      }
      default: {
        const s = valueOrOurs(() => signedFromJson(parseJsonFile(text(file), 'signed.json'), 'signed.json'));
        if (s !== undefined)
          sameAfterRoundTrip(
            s,
            signedFromJson(JSON.parse(JSON.stringify(signedToJson(s))), 'again'),
            'signed',
          );
      }
    }
  },
};
