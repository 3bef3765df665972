/**
 * `consensus.state_sync` and `consensus.light_client.trust` of a node's configuration, as oasis-node's
 * (25.1 layout): state sync on a fresh node needs a trust root — a block height and hash the operator got
 * from a source they trust, and how long such a header may be relied on.
 */
import { durationMs } from '../../codec/config_values.ts';
import { bool, type Decoder, optional, struct, typed, uint } from '../../codec/schema.ts';
import { CodecError } from '../../errors.ts';

/** `consensus.state_sync`. */
export interface StateSyncOptions {
  enabled: boolean;
}

/** `consensus.light_client.trust` (hash as 64 hex digits; empty: none). */
export interface TrustOptions {
  height: number;
  hash: string;
  /** Milliseconds. */
  period: number;
}

/** Defaults: state sync off; oasis-node's trust period of 720 h. */
export function defaultStateSyncOptions(): StateSyncOptions {
  return { enabled: false };
}

/** Default trust root: none, with oasis-node's 30-day period. */
export function defaultTrustOptions(): TrustOptions {
  return { height: 0, hash: '', period: 720 * 3600 * 1000 };
}

const hash64: Decoder<string> = typed('block hash (64 hex digits; empty: none)', (v, p) => {
  if (typeof v !== 'string' || !/^([0-9a-fA-F]{64})?$/.test(v))
    throw new CodecError(p, 'expected 64 hex digits');
  return v.toLowerCase();
});

/** Decodes `consensus.state_sync`. */
export const stateSyncOptionsDecoder = struct({
  enabled: optional(bool, 'Join by restoring a checkpoint from peers (needs consensus.light_client.trust)'),
});

/** Decodes `consensus.light_client`. */
export const lightClientOptionsDecoder = struct({
  trust: optional(
    struct({
      height: optional(uint, 'Height of the trusted block'),
      hash: optional(hash64, 'Hash of the trusted block (64 hex digits)'),
      period: optional(durationMs, 'How long a trusted header may be relied on (default 720h)'),
    }),
    'Trust root of the light client',
  ),
});

/** Refuses state sync without a complete trust root, naming the key. */
export function checkStateSyncOptions(s: StateSyncOptions, t: TrustOptions): void {
  if (!s.enabled) return;
  if (t.hash === '')
    throw new CodecError('consensus.light_client.trust.hash', 'required by consensus.state_sync.enabled');
  if (t.height <= 0)
    throw new CodecError('consensus.light_client.trust.height', 'must be above 0 when state sync is enabled');
  if (t.period <= 0) throw new CodecError('consensus.light_client.trust.period', 'must be above 0');
}
