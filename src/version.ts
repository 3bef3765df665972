/**
 * The software version, declared once: package.json's `version`. `oasis-ts --version` and the node's
 * status (`control status`) report it, so an operator sees one number everywhere.
 */
import { readFileSync } from 'node:fs';

/** The package version (e.g. `0.1.0`). */
export const PACKAGE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** What `software_version` fields carry: `oasis-ts <version>`. */
export const SOFTWARE_VERSION = `oasis-ts ${PACKAGE_VERSION}`;

/** A protocol version `{major, minor, patch}` (oasis-core's `version.Version`). */
export interface SoftwareProtocolVersion {
  major: number;
  minor: number;
  patch: number;
}

/**
 * Environment variable that makes this software claim another consensus protocol version (`8.0.0`):
 * how tests and operators rehearse an upgrade with one build standing for both the old and the new
 * software. Never set on a real network.
 */
export const CONSENSUS_PROTOCOL_VERSION_ENV = 'OASIS_TS_CONSENSUS_PROTOCOL_VERSION';

/** Parses `M.m.p` (each part 0..65535); throws naming the variable on anything else. */
export function parseProtocolVersion(text: string, what: string): SoftwareProtocolVersion {
  const m = /^(\d{1,5})\.(\d{1,5})\.(\d{1,5})$/.exec(text.trim());
  const parts = m?.slice(1).map(Number);
  if (parts === undefined || parts.some((n) => n > 0xffff))
    throw new Error(`${what}: expected a version like 7.0.0, got ${JSON.stringify(text)}`);
  return { major: parts[0]!, minor: parts[1]!, patch: parts[2]! };
}

/**
 * The consensus protocol version this software speaks (oasis-core 25.x: 7.0.0). An upgrade whose
 * target has another major needs other software; the upgrade manager checks exactly that.
 */
export const CONSENSUS_PROTOCOL_VERSION: SoftwareProtocolVersion = Object.freeze(
  process.env[CONSENSUS_PROTOCOL_VERSION_ENV] === undefined
    ? { major: 7, minor: 0, patch: 0 }
    : parseProtocolVersion(process.env[CONSENSUS_PROTOCOL_VERSION_ENV]!, CONSENSUS_PROTOCOL_VERSION_ENV),
);
