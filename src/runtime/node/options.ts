/**
 * The runtime section of a node's configuration: the ParaTimes a node hosts (`runtimes`) and how its
 * executor behaves (`debug.executor_mode`, test networks only). The node's config composes these.
 */
import type { CborValue } from '../../codec/cbor.ts';
import { enumOfStrings, nonEmpty, runtimeIdHex } from '../../codec/config_values.ts';
import { anyValue, type Decoder, optional, struct } from '../../codec/schema.ts';

/** One hosted ParaTime. */
export interface RuntimeConfig {
  /** Runtime ID, 64 hex digits. */
  id: string;
  /** Which built-in ParaTime implements it (see src/runtime/process/paratimes/catalog.ts). */
  paratime: string;
  /** ParaTime-specific settings (e.g. the accounts ParaTime's genesis balances); identical on every node. */
  config: CborValue;
}

/**
 * How the executor behaves (test networks only): `honest`; `dishonest` commits a wrong state root;
 * `straggler` executes but never commits.
 */
export type ExecutorMode = 'honest' | 'dishonest' | 'straggler';

/** The default executor mode. */
export const DEFAULT_EXECUTOR_MODE: ExecutorMode = 'honest';

/** Decodes `debug.executor_mode`. */
export const executorModeDecoder: Decoder<ExecutorMode> = enumOfStrings(['honest', 'dishonest', 'straggler']);

const runtimeFields = struct({ id: runtimeIdHex, paratime: nonEmpty, config: optional(anyValue) });

/** Decodes one entry of `runtimes`. */
export const runtimeConfigDecoder: Decoder<RuntimeConfig> = (v, p) => {
  const r = runtimeFields(v, p);
  return { id: r.id, paratime: r.paratime, config: r.config ?? null };
};
