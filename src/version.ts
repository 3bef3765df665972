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
