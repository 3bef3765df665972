/**
 * Parsing of command-line flag values shared by the command groups. Every parser throws an Error whose
 * message starts with the flag name, so the user sees which flag is wrong and why.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { fromBase64, fromHex } from '../codec/bytes.ts';
import { U64_MAX } from '../codec/schema.ts';
import { type Address, addressFromBech32 } from '../crypto/address.ts';
import { PUBLIC_KEY_SIZE } from '../crypto/ed25519.ts';
import type { ConsensusAddress, NodeAddress } from '../services/registry/api/node.ts';
import { NodeRoles } from '../services/registry/api/node.ts';

/** Collects a repeatable flag, splitting comma-separated values as oasis-node's string slices do. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(',').filter((v) => v.length > 0)];
}

/** Parses a base64 Ed25519 public key. */
export function parsePublicKeyFlag(value: string, flag: string): Uint8Array {
  let key: Uint8Array;
  try {
    key = fromBase64(value);
  } catch {
    throw new Error(`${flag}: not valid base64`);
  }
  if (key.length !== PUBLIC_KEY_SIZE) {
    throw new Error(`${flag}: expected a ${PUBLIC_KEY_SIZE}-byte key, got ${key.length} bytes`);
  }
  return key;
}

/** Parses a decimal unsigned 64-bit integer. */
export function parseUint64Flag(value: string, flag: string): bigint {
  if (!/^[0-9]+$/.test(value))
    throw new Error(`${flag}: expected a non-negative integer, got ${JSON.stringify(value)}`);
  const n = BigInt(value);
  if (n > U64_MAX) throw new Error(`${flag}: ${value} does not fit in 64 bits`);
  return n;
}

/** Parses a TCP port (0–65535; 0 lets the system choose). */
export function parsePortFlag(value: string, flag: string): number {
  const n = /^[0-9]{1,5}$/.test(value) ? Number(value) : Number.NaN;
  if (!(n <= 65535))
    throw new Error(`${flag}: expected a port number (0-65535), got ${JSON.stringify(value)}`);
  return n;
}

/** Parses a 32-byte hex identifier (runtime IDs). */
export function parseHex32Flag(value: string, flag: string): Uint8Array {
  if (!/^[0-9a-fA-F]{64}$/.test(value)) throw new Error(`${flag}: expected 64 hex characters`);
  return fromHex(value);
}

function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

function ipv6Bytes(text: string): Uint8Array {
  let body = text;
  const tail: number[] = [];
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(body);
  if (v4) {
    tail.push(...ipv4Bytes(v4[1]!));
    body = `${body.slice(0, -v4[1]!.length)}0:0`;
  }
  const [head, rest] = body.split('::') as [string, string | undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').filter((g) => g.length > 0) : []);
  const left = groups(head);
  const right = groups(rest);
  const all =
    rest === undefined ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    out[2 * i] = n >> 8;
    out[2 * i + 1] = n & 0xff;
  });
  if (tail.length) out.set(tail, 12);
  return out;
}

/** Parses `IP:PORT` or `[IPv6%zone]:PORT` into a descriptor address (4-byte IPv4, 16-byte IPv6). */
export function parseTcpAddress(value: string, flag: string): NodeAddress {
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+)):([0-9]{1,5})$/.exec(value);
  if (!m) throw new Error(`${flag}: expected IP:PORT, got ${JSON.stringify(value)}`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`${flag}: port ${port} out of range`);
  if (m[2] !== undefined) {
    if (!isIPv4(m[2])) throw new Error(`${flag}: host ${JSON.stringify(m[2])} is not an IPv4 address`);
    return { ip: ipv4Bytes(m[2]), port, zone: '' };
  }
  const [host, zone = ''] = m[1]!.split('%') as [string, string | undefined];
  if (!isIPv6(host)) throw new Error(`${flag}: host ${JSON.stringify(host)} is not an IPv6 address`);
  return { ip: ipv6Bytes(host), port, zone };
}

/** A consensus address whose `ID@` part may be missing (the caller supplies the default). */
export type PartialConsensusAddress = Omit<ConsensusAddress, 'id'> & { id: Uint8Array | undefined };

/** Parses `[ID@]IP:PORT`; without `ID@` the ID is left undefined (oasis-node then uses the P2P key). */
export function parseConsensusAddress(value: string, flag: string): PartialConsensusAddress {
  const at = value.indexOf('@');
  if (at < 0) return { id: undefined, address: parseTcpAddress(value, flag) };
  return {
    id: parsePublicKeyFlag(value.slice(0, at), `${flag} (ID part)`),
    address: parseTcpAddress(value.slice(at + 1), flag),
  };
}

const ROLE_NAMES: Record<string, number> = {
  'compute-worker': NodeRoles.computeWorker,
  compute: NodeRoles.computeWorker,
  observer: NodeRoles.observer,
  'key-manager': NodeRoles.keyManager,
  validator: NodeRoles.validator,
  'storage-rpc': NodeRoles.storageRpc,
};

/** Parses role names (oasis-node's `compute-worker`, `key-manager`, `validator`, plus the mask names). */
export function parseRoles(values: string[], flag: string): number {
  if (values.length === 0) {
    throw new Error(`${flag}: at least one role is required (${Object.keys(ROLE_NAMES).join(', ')})`);
  }
  let mask = 0;
  for (const v of values) {
    const bit = ROLE_NAMES[v.toLowerCase()];
    if (bit === undefined) throw new Error(`${flag}: unsupported role ${JSON.stringify(v)}`);
    mask |= bit;
  }
  return mask;
}

/** Parses a staking account address (`oasis1…`); an empty value means the flag was not given. */
export function parseAddressFlag(value: string | undefined, flag: string): Address {
  if (value === undefined || value === '') throw new Error(`${flag}: required (an oasis1… account address)`);
  try {
    return addressFromBech32(value);
  } catch (err) {
    throw new Error(`${flag}: ${(err as Error).message}`);
  }
}
