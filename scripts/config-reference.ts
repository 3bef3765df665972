/**
 * Prints docs/configuration.md, the configuration reference generated from the node's config schema
 * (`npm run docs:config` writes it). Refuses while a config key lacks a description or a type.
 */
import { configKeys, configReferenceMarkdown } from '../src/node/config_reference.ts';

const { undocumented } = configKeys();
if (undocumented.length > 0) {
  process.stderr.write(`config keys without a description or type: ${undocumented.join(', ')}\n`);
  process.exit(1);
}
process.stdout.write(configReferenceMarkdown());
