/**
 * The genesis document, laid out as oasis-core's (`go/genesis/api.Document`): initial height, time, chain
 * ID, one section per service, consensus parameters. Each section's codec is its service's own (declared in
 * the service's `api/genesis.ts`); this file only assembles them. The chain context — the hex SHA-512/256 of its
 * canonical CBOR — binds every transaction signature to this network, so the JSON file and the CBOR the
 * node hashes and serves (`GetGenesisDocument`) come from one codec.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { toHex } from '../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import {
  bytesCodec,
  type Codec,
  field,
  mapCodec,
  parseJson,
  stringifyJson,
  structCodec,
  textCodec,
  timeCodec,
  u64Codec,
} from '../codec/typed.ts';
import { sha512_256 } from '../crypto/hash.ts';
import { CodecError, namedError } from '../errors.ts';
import { beaconGenesisCodec } from '../services/beacon/api/genesis.ts';
import { consensusGenesisCodec } from '../services/consensus/api/genesis.ts';
import { governanceGenesisCodec } from '../services/governance/api/genesis.ts';
import { keymanagerGenesisCodec } from '../services/keymanager/api/genesis.ts';
import { registryGenesisCodec } from '../services/registry/api/genesis.ts';
import { roothashGenesisCodec } from '../services/roothash/api/genesis.ts';
import { schedulerGenesisCodec } from '../services/scheduler/api/genesis.ts';
import { stakingSectionCodec } from '../services/staking/api/genesis.ts';

/** The genesis document codec (field order as oasis-core's struct). */
export const genesisDocumentCodec = structCodec({
  height: field(u64Codec),
  genesis_time: field(timeCodec),
  chain_id: field(textCodec),
  registry: field(registryGenesisCodec),
  roothash: field(roothashGenesisCodec),
  staking: field(stakingSectionCodec),
  keymanager: field(keymanagerGenesisCodec),
  scheduler: field(schedulerGenesisCodec),
  beacon: field(beaconGenesisCodec),
  governance: field(governanceGenesisCodec),
  consensus: field(consensusGenesisCodec),
  extra_data: field(mapCodec(textCodec, bytesCodec()), true),
});

/** A genesis document. */
export type GenesisDocument = typeof genesisDocumentCodec extends Codec<infer T> ? T : never;
/** A genesis problem, naming the file and the field. */
export class GenesisError extends namedError('GenesisError') {}

/** Canonical CBOR of the document: what is hashed and what `GetGenesisDocument` serves. */
export function encodeGenesis(doc: GenesisDocument): Uint8Array {
  return encodeCanonical(genesisDocumentCodec.encode(doc));
}

/** Decodes a document from canonical CBOR (e.g. from a peer or a dump). */
export function decodeGenesis(bytes: Uint8Array): GenesisDocument {
  return genesisDocumentCodec.decode(decodeCanonical(bytes), 'genesis');
}

/** The chain context: lower-case hex SHA-512/256 of the document's canonical CBOR. */
export function chainContextOf(doc: GenesisDocument): string {
  return toHex(sha512_256(encodeGenesis(doc)));
}

/** Parses the JSON form; errors name the field. */
export function genesisFromJson(text: string, label = 'genesis'): GenesisDocument {
  let json: unknown;
  try {
    json = parseJson(text);
  } catch (err) {
    throw new GenesisError(`${label}: not valid JSON: ${(err as Error).message}`);
  }
  try {
    const doc = genesisDocumentCodec.fromJson(json, '');
    if (doc.height < 1n) throw new CodecError('height', 'initial height must be at least 1');
    if (!doc.chain_id) throw new CodecError('chain_id', 'must not be empty');
    return doc;
  } catch (err) {
    throw new GenesisError(`${label}: ${(err as Error).message}`);
  }
}

/** The JSON form as oasis-core writes genesis files (2-space indent, trailing newline). */
export function genesisToJson(doc: GenesisDocument): string {
  return stringifyJson(genesisDocumentCodec.toJson(doc));
}

/** Reads and parses a genesis file. */
export function readGenesisFile(path: string): GenesisDocument {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new GenesisError(
      `${path}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return genesisFromJson(text, path);
}

/** Writes a genesis file (refusing to replace an existing one unless `overwrite`). */
export function writeGenesisFile(path: string, doc: GenesisDocument, overwrite = false): void {
  writeFileSync(path, genesisToJson(doc), { mode: 0o644, flag: overwrite ? 'w' : 'wx' });
}
