/**
 * `oasis-ts registry …`: entity and node identity provisioning, mirroring oasis-node's
 * `registry entity init|update` and `registry node init`. Files land where oasis-node puts them
 * (entity.pem, entity.json, entity_genesis.json; identity.pem, consensus.pem, p2p.pem, vrf.pem,
 * tls_identity.pem, node_genesis.json), keys 0600 inside a 0700 directory, and nothing is overwritten
 * except an entity's own descriptor when it is deliberately updated.
 */

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { bytesEqual, toBase64, toHex } from '../../codec/bytes.ts';
import { goJsonStringify } from '../../codec/json.ts';
import type { Ed25519KeyPair } from '../../crypto/ed25519.ts';
import {
  generateRoleKey,
  loadRoleKey,
  P2P_ENTROPY_FILE,
  SignerRoles,
  TLS_KEY_FILE,
} from '../../crypto/signer/file_signer.ts';
import {
  multiSignedFromJson,
  multiSignedToJson,
  parseJsonFile,
  signedToJson,
} from '../../crypto/signer/json_files.ts';
import {
  ensureKeyDir,
  pathExists,
  replaceSecretFile,
  writeNewSecretFile,
} from '../../crypto/signer/key_files.ts';
import { generateNodeIdentity } from '../../crypto/signer/node_identity.ts';
import {
  ENTITY_DESCRIPTOR_VERSION,
  type Entity,
  entityFromJson,
  entityToJson,
  signEntity,
} from '../../services/registry/api/entity.ts';
import {
  NODE_DESCRIPTOR_VERSION,
  type NodeDescriptor,
  NodeRoles,
  openMultiSignedNode,
  signNode,
} from '../../services/registry/api/node.ts';
import {
  collect,
  parseConsensusAddress,
  parseHex32Flag,
  parsePublicKeyFlag,
  parseRoles,
  parseTcpAddress,
  parseUint64Flag,
} from '../flags.ts';
import { commandGroup } from './groups.ts';

/** The entity descriptor file. */
export const ENTITY_JSON_FILE = 'entity.json';
/** The signed entity descriptor for a genesis document. */
export const ENTITY_GENESIS_FILE = 'entity_genesis.json';
/** The multi-signed node descriptor for a genesis document. */
export const NODE_GENESIS_FILE = 'node_genesis.json';

type Opts = Record<string, string | string[] | undefined>;

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(
      `${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : (err as Error).message}`,
    );
  }
}

function refuseExisting(dir: string, files: string[]): void {
  for (const f of files) {
    const path = join(dir, f);
    if (pathExists(path)) throw new Error(`${path}: already exists, refusing to overwrite`);
  }
}

/** The key directory from `--signer.dir` (or the working directory, as oasis-node), file backend only. */
function signerDir(opts: Opts): string {
  const backend = opts['signer.backend'];
  if (backend !== undefined && backend !== 'file') {
    throw new Error(`--signer.backend: unsupported backend ${JSON.stringify(backend)} (only "file")`);
  }
  return (opts['signer.dir'] as string | undefined) ?? process.cwd();
}

/** Writes entity.json and the signed entity_genesis.json; `replace` allows re-signing in place. */
function writeEntityFiles(dir: string, signer: Ed25519KeyPair, entity: Entity, replace: boolean): void {
  const write = replace ? replaceSecretFile : writeNewSecretFile;
  write(join(dir, ENTITY_JSON_FILE), goJsonStringify(entityToJson(entity)));
  write(join(dir, ENTITY_GENESIS_FILE), goJsonStringify(signedToJson(signEntity(signer, entity))));
}

/** Loads an entity directory: its key and its descriptor, which must belong together. */
function loadEntity(dir: string): { signer: Ed25519KeyPair; entity: Entity } {
  const signer = loadRoleKey(dir, 'entity');
  const path = join(dir, ENTITY_JSON_FILE);
  const entity = entityFromJson(parseJsonFile(readText(path), path), path);
  if (!bytesEqual(entity.id, signer.publicKey)) {
    throw new Error(`${path}: entity ID ${toBase64(entity.id)} does not match ${SignerRoles.entity.file}`);
  }
  return { signer, entity };
}

/** Adds (or, with `replace`, sets) the entity's node list and re-signs its descriptor. */
function updateEntityNodes(dir: string, nodeIds: Uint8Array[], replace: boolean): void {
  const { signer, entity } = loadEntity(dir);
  const byHex = new Map<string, Uint8Array>();
  for (const id of [...(replace ? [] : (entity.nodes ?? [])), ...nodeIds]) byHex.set(toHex(id), id);
  const updated: Entity = { v: ENTITY_DESCRIPTOR_VERSION, id: entity.id };
  if (byHex.size > 0) updated.nodes = [...byHex.values()];
  writeEntityFiles(dir, signer, updated, true);
}

/** The node ID of a node_genesis.json that belongs to `entityId` and is signed by its own node key. */
function nodeIdFromDescriptorFile(path: string, entityId: Uint8Array): Uint8Array {
  const ms = multiSignedFromJson(parseJsonFile(readText(path), path), path);
  let node: NodeDescriptor;
  try {
    node = openMultiSignedNode(ms);
  } catch (err) {
    throw new Error(`${path}: invalid node descriptor: ${(err as Error).message}`);
  }
  if (!bytesEqual(node.entityId, entityId)) throw new Error(`${path}: node does not belong to this entity`);
  if (!bytesEqual(ms.signatures[0]!.public_key, node.id))
    throw new Error(`${path}: node descriptor is not self-signed`);
  return node.id;
}

function entityInit(opts: Opts): void {
  const dir = signerDir(opts);
  ensureKeyDir(dir);
  refuseExisting(dir, [SignerRoles.entity.file, ENTITY_JSON_FILE, ENTITY_GENESIS_FILE]);
  const signer = generateRoleKey(dir, 'entity');
  writeEntityFiles(dir, signer, { v: ENTITY_DESCRIPTOR_VERSION, id: signer.publicKey }, false);
}

function entityUpdate(opts: Opts): void {
  const dir = signerDir(opts);
  const { entity } = loadEntity(dir);
  const ids = ((opts['entity.node.id'] as string[] | undefined) ?? []).map((v) =>
    parsePublicKeyFlag(v, '--entity.node.id'),
  );
  for (const path of (opts['entity.node.descriptor'] as string[] | undefined) ?? []) {
    ids.push(nodeIdFromDescriptorFile(path, entity.id));
  }
  updateEntityNodes(dir, ids, true);
}

const NODE_FILES = [
  ...Object.values(SignerRoles).flatMap((r) => (r.publicFile ? [r.file, r.publicFile] : [])),
  P2P_ENTROPY_FILE,
  TLS_KEY_FILE,
  NODE_GENESIS_FILE,
];

function softwareVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return `oasis-ts ${pkg.version}`;
}

function nodeInit(opts: Opts): void {
  // Validate every flag before any file is written.
  const dataDir = opts.datadir as string | undefined;
  if (dataDir !== undefined && opts['signer.dir'] !== undefined && dataDir !== opts['signer.dir']) {
    throw new Error('--datadir and --signer.dir name different directories');
  }
  const dir = dataDir ?? signerDir(opts);
  const entityIdText = opts['node.entity_id'] as string | undefined;
  if (entityIdText === undefined) throw new Error('--node.entity_id: required');
  const entityId = parsePublicKeyFlag(entityIdText, '--node.entity_id');
  const roles = parseRoles((opts['node.role'] as string[] | undefined) ?? [], '--node.role');
  const expiration = parseUint64Flag(
    (opts['node.expiration'] as string | undefined) ?? '0',
    '--node.expiration',
  );
  const p2pAddresses = ((opts['node.p2p_address'] as string[] | undefined) ?? []).map((a) =>
    parseTcpAddress(a, '--node.p2p_address'),
  );
  const consensusTexts = (opts['node.consensus_address'] as string[] | undefined) ?? [];
  if ((roles & NodeRoles.validator) !== 0 && consensusTexts.length === 0) {
    throw new Error('--node.consensus_address: validator nodes require a consensus address');
  }
  const consensusAddresses = consensusTexts.map((a) => parseConsensusAddress(a, '--node.consensus_address'));
  const runtimeIds = ((opts['node.runtime.id'] as string[] | undefined) ?? []).map((v) =>
    parseHex32Flag(v, '--node.runtime.id'),
  );
  const entityDir = opts['entity.signer.dir'] as string | undefined;
  if (entityDir !== undefined) {
    const { entity } = loadEntity(entityDir);
    if (!bytesEqual(entity.id, entityId)) {
      throw new Error(
        `--entity.signer.dir: entity ${toBase64(entity.id)} is not --node.entity_id ${entityIdText}`,
      );
    }
  }
  ensureKeyDir(dir);
  refuseExisting(dir, NODE_FILES);

  const identity = generateNodeIdentity(dir);
  const node: NodeDescriptor = {
    v: NODE_DESCRIPTOR_VERSION,
    id: identity.node.publicKey,
    entityId,
    expiration,
    tls: { pubKey: identity.tls.publicKey },
    p2p: { id: identity.p2p.publicKey, addresses: p2pAddresses },
    consensus: {
      id: identity.consensus.publicKey,
      addresses: consensusAddresses.map((a) => ({ id: a.id ?? identity.p2p.publicKey, address: a.address })),
    },
    vrf: { id: identity.vrf.publicKey },
    runtimes: runtimeIds.map((id) => ({
      id,
      version: { major: 0, minor: 0, patch: 0 },
      capabilities: {},
      extraInfo: null,
    })),
    roles,
    softwareVersion: softwareVersion(),
  };
  const signed = signNode(identity, node);
  writeNewSecretFile(join(dir, NODE_GENESIS_FILE), goJsonStringify(multiSignedToJson(signed)));
  if (entityDir !== undefined) updateEntityNodes(entityDir, [node.id], false);
}

function signerOptions(cmd: Command): Command {
  return cmd
    .option('--signer.dir <dir>', 'directory with the key files (default: the working directory)')
    .option('--signer.backend <backend>', 'signer backend (only "file")');
}

/** Registers the `registry` command group. */
export function registerRegistryCommands(program: Command): void {
  const registry = commandGroup(program, 'registry', 'registry backend utilities');
  const entity = commandGroup(registry, 'entity', 'entity registry backend utilities');
  signerOptions(entity.command('init').description('initialize an entity')).action((opts: Opts) =>
    entityInit(opts),
  );
  signerOptions(entity.command('update').description("update an entity's node list"))
    .option('--entity.node.id <base64>', 'ID(s) of nodes associated with this entity', collect)
    .option('--entity.node.descriptor <file>', 'node genesis descriptor(s) of nodes of this entity', collect)
    .action((opts: Opts) => entityUpdate(opts));

  const node = commandGroup(registry, 'node', 'node registry backend utilities');
  signerOptions(node.command('init').description('initialize a node'))
    .option('--datadir <dir>', 'node data directory (same as --signer.dir)')
    .option('--node.entity_id <base64>', 'entity ID that controls this node')
    .option('--node.expiration <epoch>', 'epoch at which the node registration expires', '0')
    .option(
      '--node.role <role>',
      'role(s): validator, compute-worker, key-manager, observer, storage-rpc',
      collect,
    )
    .option('--node.p2p_address <ip:port>', 'address(es) of the node on the P2P transport', collect)
    .option(
      '--node.consensus_address <[id@]ip:port>',
      'consensus address(es) (ID defaults to the P2P key)',
      collect,
    )
    .option('--node.runtime.id <hex>', 'runtime ID(s) the node serves', collect)
    .option('--entity.signer.dir <dir>', 'also add the node to the entity in this directory and re-sign it')
    .action((opts: Opts) => nodeInit(opts));
}
