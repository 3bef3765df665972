/**
 * JSON-RPC 2.0 request handling, transport-free: parses a body (one request or a batch), runs each
 * request's method, and answers in request order. Malformed JSON is -32700, a malformed request -32600
 * (per item of a batch), an unknown method -32601; a batch larger than the limit is refused whole.
 * Notifications (no `id`) run but get no answer.
 */
import { JsonRpcError, RpcErrors } from './errors.ts';
import type { RpcContext, RpcMethods } from './method.ts';

/** Batch bounds. */
export interface RpcLimits {
  /** Most requests in one batch. */
  maxBatch: number;
}

type Id = string | number | null;
type Response = { jsonrpc: '2.0'; id: Id; result?: unknown; error?: ReturnType<JsonRpcError['toJson']> };

const errorResponse = (id: Id, err: JsonRpcError): Response => ({ jsonrpc: '2.0', id, error: err.toJson() });

/** Answers JSON-RPC bodies with a method table. */
export class JsonRpcHandler {
  readonly #methods: RpcMethods;
  readonly #limits: RpcLimits;
  readonly #onInternalError: (method: string, err: unknown) => void;

  constructor(
    methods: RpcMethods,
    limits: RpcLimits,
    onInternalError: (method: string, err: unknown) => void,
  ) {
    this.#methods = methods;
    this.#limits = limits;
    this.#onInternalError = onInternalError;
  }

  /** The answer to `body` (serialized), or undefined when it held only notifications. */
  async handle(body: string, ctx: RpcContext): Promise<string | undefined> {
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      return JSON.stringify(errorResponse(null, RpcErrors.parse((err as Error).message)));
    }
    if (!Array.isArray(parsed)) {
      const r = await this.#one(parsed, ctx);
      return r === undefined ? undefined : JSON.stringify(r);
    }
    if (parsed.length === 0)
      return JSON.stringify(errorResponse(null, RpcErrors.invalidRequest('empty batch')));
    if (parsed.length > this.#limits.maxBatch)
      return JSON.stringify(
        errorResponse(
          null,
          RpcErrors.invalidRequest(`batch too large (at most ${this.#limits.maxBatch} requests)`),
        ),
      );
    const answers = await Promise.all(parsed.map((r) => this.#one(r, ctx)));
    const out = answers.filter((a): a is Response => a !== undefined);
    return out.length === 0 ? undefined : JSON.stringify(out);
  }

  async #one(req: unknown, ctx: RpcContext): Promise<Response | undefined> {
    if (req === null || typeof req !== 'object' || Array.isArray(req))
      return errorResponse(null, RpcErrors.invalidRequest('invalid request'));
    const r = req as Record<string, unknown>;
    const hasId = Object.hasOwn(r, 'id');
    const id = r.id;
    if (hasId && id !== null && typeof id !== 'string' && typeof id !== 'number')
      return errorResponse(null, RpcErrors.invalidRequest('invalid request id'));
    const rid = (hasId ? id : null) as Id;
    if (r.jsonrpc !== '2.0' || typeof r.method !== 'string')
      return errorResponse(rid, RpcErrors.invalidRequest('invalid request'));
    if (r.params !== undefined && r.params !== null && !Array.isArray(r.params))
      return errorResponse(rid, RpcErrors.invalidParams('non-array args'));
    const method = Object.hasOwn(this.#methods, r.method) ? this.#methods[r.method] : undefined;
    let response: Response;
    if (method === undefined) response = errorResponse(rid, RpcErrors.methodNotFound(r.method));
    else {
      try {
        const result = await method((r.params as unknown[] | undefined) ?? [], ctx);
        response = { jsonrpc: '2.0', id: rid, result: result ?? null };
      } catch (err) {
        if (!(err instanceof JsonRpcError)) this.#onInternalError(r.method, err);
        response = errorResponse(
          rid,
          err instanceof JsonRpcError ? err : RpcErrors.internal('internal error'),
        );
      }
    }
    return hasId ? response : undefined;
  }
}
