/**
 * The upgrade descriptor (`go/upgrade/api` Descriptor, versioned): which handler migrates the state, the
 * protocol versions the upgraded software speaks, and the epoch at which the network switches. Governance
 * proposals carry it; the node's upgrade manager schedules it.
 */
import { field, structCodec, textCodec, u64Field } from '../../../codec/typed.ts';
import { versionCodec } from '../../registry/api/runtime.ts';
import { EPOCH_INVALID } from '../../registry/api/status.ts';

/** A software or protocol version (`version.Version`). */
export interface ProtocolVersion {
  major: number;
  minor: number;
  patch: number;
}

/** The versions an upgrade targets (`version.ProtocolVersions`). */
const protocolVersionsCodec = structCodec({
  consensus_protocol: field(versionCodec),
  runtime_host_protocol: field(versionCodec),
  runtime_committee_protocol: field(versionCodec),
});

/** An upgrade descriptor (`upgrade.Descriptor`). */
export const upgradeDescriptorCodec = structCodec({
  v: u64Field(false),
  handler: field(textCodec),
  target: field(protocolVersionsCodec),
  epoch: u64Field(false),
});

/** An upgrade descriptor. */
export type UpgradeDescriptor = ReturnType<typeof upgradeDescriptorCodec.decode>;

/** Upgrade descriptor version (`upgrade.LatestDescriptorVersion`, also the only one accepted). */
export const UPGRADE_DESCRIPTOR_VERSION = 1n;

const isZeroVersion = (v: ProtocolVersion) => v.major === 0 && v.minor === 0 && v.patch === 0;

/** `Descriptor.ValidateBasic`: what is wrong with `d`, or undefined when nothing is. */
export function descriptorProblem(d: UpgradeDescriptor): string | undefined {
  if (d.v !== UPGRADE_DESCRIPTOR_VERSION) return `unsupported descriptor version ${d.v}`;
  const handler = new TextEncoder().encode(d.handler).length;
  if (handler < 3 || handler > 32) return 'handler must be 3 to 32 bytes';
  const t = d.target;
  if (
    isZeroVersion(t.consensus_protocol) ||
    isZeroVersion(t.runtime_host_protocol) ||
    isZeroVersion(t.runtime_committee_protocol)
  )
    return 'target versions must be set';
  if (d.epoch < 1n || d.epoch >= EPOCH_INVALID) return `invalid epoch ${d.epoch}`;
  return undefined;
}

const sameVersion = (a: ProtocolVersion, b: ProtocolVersion) =>
  a.major === b.major && a.minor === b.minor && a.patch === b.patch;

/** `Descriptor.Equals`: all four fields. */
export function sameDescriptor(a: UpgradeDescriptor, b: UpgradeDescriptor): boolean {
  return (
    a.v === b.v &&
    a.handler === b.handler &&
    a.epoch === b.epoch &&
    sameVersion(a.target.consensus_protocol, b.target.consensus_protocol) &&
    sameVersion(a.target.runtime_host_protocol, b.target.runtime_host_protocol) &&
    sameVersion(a.target.runtime_committee_protocol, b.target.runtime_committee_protocol)
  );
}

/** `1.2.3`, as oasis-core prints a version. */
export function formatVersion(v: ProtocolVersion): string {
  return `${v.major}.${v.minor}.${v.patch}`;
}
