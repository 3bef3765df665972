/**
 * The `keymanager` section of a node's configuration: the node serves this key manager runtime's keys
 * to the compute nodes of the runtimes its policy allows. Without a TEE this needs
 * `debug.allow_insecure_keymanager` as well (checked where the node starts the service).
 */
import { runtimeIdHex } from '../../../codec/config_values.ts';
import { arrayOf, type Decoder, described, struct } from '../../../codec/schema.ts';

/** A key manager node's settings. */
export interface KeyManagerOptions {
  /** The key manager runtime ID (hex; the registry's `key_manager` of the runtimes it serves). */
  runtime_id: string;
  /** Runtime IDs (hex) allowed to obtain keys (oasis-core's policy `may_query`). */
  may_query: string[];
}

/** Decodes the `keymanager` section. */
export const keyManagerOptionsDecoder: Decoder<KeyManagerOptions> = struct({
  runtime_id: described(runtimeIdHex, 'Key manager runtime ID, as registered (key manager flag set)'),
  may_query: described(arrayOf(runtimeIdHex), 'Runtime IDs whose compute nodes may obtain keys'),
});
