/**
 * JSON-RPC errors as Ethereum tools read them (JSON-RPC 2.0 and EIP-1474 codes, geth's wording where
 * ethers keys on it: "nonce too low", "insufficient funds", "execution reverted", "the method … does not
 * exist/is not available").
 */
import { namedError } from '../../errors.ts';

/** Error codes (JSON-RPC 2.0; EIP-1474; 3 = execution reverted, as geth). */
export const RpcErrorCode = Object.freeze({
  parse: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internal: -32603,
  server: -32000,
  limitExceeded: -32005,
  reverted: 3,
});

/** An error the server answers a request with. */
export class JsonRpcError extends namedError('JsonRpcError') {
  readonly code: number;
  /** Extra data (revert data as 0x-hex for code 3). */
  readonly data: string | undefined;

  constructor(code: number, message: string, data?: string) {
    super(message);
    this.code = code;
    this.data = data;
  }

  /** The JSON `error` member. */
  toJson(): { code: number; message: string; data?: string } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/** Constructors for the errors the server raises. */
export const RpcErrors = Object.freeze({
  parse: (why: string) => new JsonRpcError(RpcErrorCode.parse, `parse error: ${why}`),
  invalidRequest: (why: string) => new JsonRpcError(RpcErrorCode.invalidRequest, why),
  methodNotFound: (method: string) =>
    new JsonRpcError(RpcErrorCode.methodNotFound, `the method ${method} does not exist/is not available`),
  invalidParams: (why: string) => new JsonRpcError(RpcErrorCode.invalidParams, why),
  /** A bad parameter, named by position as geth names it. */
  invalidArgument: (index: number, why: string) =>
    new JsonRpcError(RpcErrorCode.invalidParams, `invalid argument ${index}: ${why}`),
  server: (message: string) => new JsonRpcError(RpcErrorCode.server, message),
  limit: (message: string) => new JsonRpcError(RpcErrorCode.limitExceeded, message),
  internal: (message: string) => new JsonRpcError(RpcErrorCode.internal, message),
  reverted: (reason: string | undefined, data: string) =>
    new JsonRpcError(
      RpcErrorCode.reverted,
      reason === undefined ? 'execution reverted' : `execution reverted: ${reason}`,
      data,
    ),
});
