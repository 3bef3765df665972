/**
 * `core.RuntimeInfo`: what the runtime is made of, in runtime-sdk's shape (`{runtime_version,
 * state_version, modules: {name: {version, params, methods: [{kind, name}]}}}`), so tools that discover a
 * ParaTime's methods before calling them see ours.
 */
import type { CborValue } from '../../../../codec/cbor.ts';
import type { Version } from '../../../protocol/types.ts';
import { ACCOUNTS_MODULE, CONSENSUS_ACCOUNTS_MODULE, Methods } from './params.ts';

const MODULES: Record<string, Array<{ kind: 'call' | 'query'; name: string }>> = {
  core: [
    { kind: 'query', name: Methods.estimateGas },
    { kind: 'query', name: Methods.minGasPrice },
    { kind: 'query', name: Methods.runtimeInfo },
  ],
  [ACCOUNTS_MODULE]: [
    { kind: 'call', name: Methods.transfer },
    { kind: 'query', name: Methods.nonce },
    { kind: 'query', name: Methods.balances },
    { kind: 'query', name: Methods.addresses },
    { kind: 'query', name: Methods.denominationInfo },
  ],
  [CONSENSUS_ACCOUNTS_MODULE]: [
    { kind: 'call', name: Methods.deposit },
    { kind: 'call', name: Methods.withdraw },
  ],
};

/** The `core.RuntimeInfo` answer. */
export function runtimeInfo(version: Version): CborValue {
  const modules: Record<string, CborValue> = {};
  for (const [name, methods] of Object.entries(MODULES)) modules[name] = { version: 1, params: {}, methods };
  return { runtime_version: { ...version }, state_version: 0, modules } as CborValue;
}
