/**
 * Node address checks (oasis-core `verifyAddresses` / `VerifyAddress`): addresses a role requires must be
 * present, and outside debug networks every address must be global unicast and outside the IANA special
 * ranges oasis-core lists as reserved.
 */
import { RegistryErrors } from './api/errors.ts';
import type { NodeAddress } from './api/node.ts';
import type { RegistryParameters } from './api/params.ts';

/** A CIDR block: the network's leading bytes and its prefix length in bits. */
type Cidr = [network: number[], bits: number];

/** oasis-core's reserved IPv4 blocks (`common.reservedRanges`), plus multicast (not global unicast). */
const RESERVED_V4: Cidr[] = [
  [[0], 8],
  [[10], 8],
  [[100, 64], 10],
  [[169, 254], 16],
  [[172, 16], 12],
  [[192, 0, 0], 24],
  [[192, 0, 2], 24],
  [[192, 168], 16],
  [[198, 18], 15],
  [[198, 51, 100], 24],
  [[203, 0, 113], 24],
  [[224], 4],
  [[240], 4],
  [[127], 8],
];

/** oasis-core's reserved IPv6 blocks, plus multicast (not global unicast). */
const RESERVED_V6: Cidr[] = [
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1], 128],
  [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 128],
  [[0x00, 0x64, 0xff, 0x9b, 0x00, 0x01], 48],
  [[0x01, 0x00], 64],
  [[0x20, 0x01, 0x00, 0x02], 48],
  [[0x20, 0x01, 0x0d, 0xb8], 32],
  [[0xfe, 0x80], 10],
  [[0x20, 0x01], 23],
  [[0xfc], 7],
  [[0xff], 8],
];

function inCidr(ip: Uint8Array, [network, bits]: Cidr): boolean {
  for (let i = 0; i * 8 < bits; i++) {
    const take = Math.min(8, bits - i * 8);
    const mask = (0xff << (8 - take)) & 0xff;
    if (((ip[i] ?? 0) & mask) !== ((network[i] ?? 0) & mask)) return false;
  }
  return true;
}

/**
 * True when an IP address is probably reachable from the internet (oasis-core `VerifyAddress`: global
 * unicast and outside every reserved block). Go keeps IPv4 in 16-byte IPv4-mapped form, judged as IPv4.
 */
export function isRoutableIp(ip: Uint8Array): boolean {
  const mapped =
    ip.length === 16 && ip.subarray(0, 10).every((x) => x === 0) && ip[10] === 0xff && ip[11] === 0xff;
  const v4 = mapped ? ip.subarray(12) : ip.length === 4 ? ip : undefined;
  if (v4 !== undefined) return !RESERVED_V4.some((c) => inCidr(v4, c));
  return !RESERVED_V6.some((c) => inCidr(ip, c));
}

/** Registry/1 when required addresses are missing or (without the debug flag) not routable. */
export function checkAddresses(
  params: RegistryParameters,
  required: boolean,
  addresses: NodeAddress[],
  what: string,
): void {
  if (addresses.length === 0 && required) throw RegistryErrors.invalidArgument(`missing ${what} address`);
  if (params.debug_allow_unroutable_addresses) return;
  for (const a of addresses) {
    if (!isRoutableIp(a.ip)) throw RegistryErrors.invalidArgument(`${what} address not routable`);
  }
}
