/**
 * The gateway's `oasis_` namespace: `oasis_callDataPublicKey`, the confidential runtime's current
 * call-data public key as `{key, checksum, signature, epoch}` (0x-hex bytes; `epoch` a number, omitted when
 * 0), flattened from `core.CallDataPublicKey` as oasis-web3-gateway does (sapphire-localnet polls it to see
 * that the key manager is up). On a runtime without confidential calls (it does not know the query) the
 * method does not exist, -32601, as any non-Sapphire endpoint answers.
 */
import type { CborValue } from '../../codec/cbor.ts';
import { CodedError } from '../../errors.ts';
import { CORE_MODULE, CoreErrorCode } from '../../runtime/protocol/core_errors.ts';
import type { Web3Backend } from './backend.ts';
import { parseBlockParam, stateBlock } from './block_tags.ts';
import { RpcErrors } from './errors.ts';
import { data } from './hex.ts';
import type { RpcMethods } from './method.ts';
import { queryError } from './runtime_errors.ts';

interface CallDataPublicKeyAnswer {
  epoch?: bigint | number;
  public_key: { key: Uint8Array; checksum: Uint8Array; signature: Uint8Array };
}

function isAnswer(v: CborValue): v is CborValue & CallDataPublicKeyAnswer {
  const pk = (v as { public_key?: Record<string, unknown> } | null)?.public_key;
  return pk !== undefined && ['key', 'checksum', 'signature'].every((k) => pk[k] instanceof Uint8Array);
}

/** The `oasis_` methods over `b`. */
export function oasisMethods(b: Web3Backend): RpcMethods {
  return {
    oasis_callDataPublicKey: async () => {
      const round = stateBlock(b, parseBlockParam('latest', 0));
      let answer: CborValue;
      try {
        answer = await b.runtimes.query(b.runtimeId, round, 'core.CallDataPublicKey', null);
      } catch (err) {
        if (
          err instanceof CodedError &&
          err.module === CORE_MODULE &&
          err.code === CoreErrorCode.invalidMethod
        )
          throw RpcErrors.methodNotFound('oasis_callDataPublicKey');
        throw queryError(err);
      }
      if (!isAnswer(answer))
        throw RpcErrors.internal('runtime answered core.CallDataPublicKey with a bad value');
      const { key, checksum, signature } = answer.public_key;
      const epoch = Number(answer.epoch ?? 0);
      return {
        key: data(key),
        checksum: data(checksum),
        signature: data(signature),
        ...(epoch !== 0 ? { epoch } : {}),
      };
    },
  };
}
