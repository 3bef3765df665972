/**
 * Runtime errors in the words Ethereum tools understand: a reverted EVM call (runtime-sdk `evm` code 8,
 * `reverted: <base64 data>`) is code 3 with the revert data and, for `Error(string)`, its reason; refused
 * transactions use geth's phrases ("nonce too low", "insufficient funds …") with the runtime's message after
 * them, so ethers raises NONCE_EXPIRED / INSUFFICIENT_FUNDS.
 */
import { fromBase64 } from '../../codec/bytes.ts';
import { CodedError } from '../../errors.ts';
import { CheckTxFailedError } from '../../runtime/node/client/api.ts';
import { JsonRpcError, RpcErrors } from './errors.ts';
import { data } from './hex.ts';

const REVERTED_PREFIX = 'reverted: ';
/** `Error(string)` selector. */
const ERROR_SELECTOR = '08c379a0';

/** The reason of `Error(string)` revert data; undefined for anything else. */
export function revertReason(out: Uint8Array): string | undefined {
  if (out.length < 4 + 64 || Buffer.from(out.subarray(0, 4)).toString('hex') !== ERROR_SELECTOR)
    return undefined;
  const body = Buffer.from(out.subarray(4));
  const word = (at: number) => BigInt(`0x${body.subarray(at, at + 32).toString('hex')}`);
  const offset = word(0);
  if (offset + 32n > BigInt(body.length)) return undefined;
  const at = Number(offset);
  const length = word(at);
  if (length > BigInt(body.length - at - 32)) return undefined;
  return body.subarray(at + 32, at + 32 + Number(length)).toString('utf8');
}

/** A failed runtime query (`eth_call`, `eth_estimateGas`) as a JSON-RPC error. */
export function queryError(err: unknown): JsonRpcError {
  if (err instanceof JsonRpcError) return err;
  if (err instanceof CodedError) {
    if (err.module === 'evm' && err.code === 8 && err.message.startsWith(REVERTED_PREFIX)) {
      let out: Uint8Array;
      try {
        out = fromBase64(err.message.slice(REVERTED_PREFIX.length));
      } catch {
        out = new Uint8Array(0);
      }
      return RpcErrors.reverted(revertReason(out), data(out));
    }
    return RpcErrors.server(err.message);
  }
  return RpcErrors.internal((err as Error).message ?? String(err));
}

/** runtime-sdk `core` refusals and the geth phrase ethers maps each to. */
const GETH_PHRASES: Record<number, string> = {
  4: 'nonce too low',
  5: 'insufficient funds for gas * price + value',
  11: 'exceeds block gas limit',
  12: 'intrinsic gas too low',
  20: 'transaction underpriced',
  23: 'oversized data',
  26: 'nonce too high',
};

/** A refused `eth_sendRawTransaction` as a JSON-RPC error. */
export function submitError(err: unknown): JsonRpcError {
  if (err instanceof CheckTxFailedError) {
    const { module, code, message } = err.checkTxError;
    const phrase = module === 'core' ? GETH_PHRASES[code ?? 0] : undefined;
    return RpcErrors.server(phrase === undefined ? (message ?? err.message) : `${phrase}: ${message ?? ''}`);
  }
  return queryError(err);
}
