/**
 * Upgrade descriptor files as oasis-node reads them (Go's JSON of `upgrade.Descriptor`:
 * `{"v": 1, "handler": …, "target": {"consensus_protocol": {"major": 8}, …}, "epoch": …}`), shared by
 * `governance gen_submit_proposal` and `control upgrade-binary|cancel-upgrade`.
 */
import { readFileSync } from 'node:fs';
import { parseJson } from '../../codec/typed.ts';
import { type UpgradeDescriptor, upgradeDescriptorCodec } from '../../services/upgrade/api/descriptor.ts';

/** Reads and decodes a descriptor file; errors name `what` (a flag or argument) and the path. */
export function readUpgradeDescriptorFile(path: string, what: string): UpgradeDescriptor {
  let json: unknown;
  try {
    json = parseJson(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new Error(`${what}: ${path}: ${(err as Error).message}`);
  }
  return upgradeDescriptorCodec.fromJson(json, what);
}
