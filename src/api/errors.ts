/**
 * Errors on the wire as oasis-core sends them: a coded error becomes gRPC status UNKNOWN with its message
 * and a `grpc-status-details-bin` holding a protobuf `google.rpc.Status` whose single detail is an `Any`
 * with an empty type URL and the CBOR `{module, code}` as value. `@oasisprotocol/client` turns that into an
 * `OasisCodedError`. Uncoded errors are sent as a plain status.
 */
import { decodeCanonical, encodeCanonical } from '../codec/cbor.ts';
import { CodedError, namedError } from '../errors.ts';

/** gRPC status codes we use. */
export const GrpcStatus = Object.freeze({
  ok: 0,
  cancelled: 1,
  unknown: 2,
  invalidArgument: 3,
  deadlineExceeded: 4,
  notFound: 5,
  permissionDenied: 7,
  resourceExhausted: 8,
  unimplemented: 12,
  internal: 13,
  unavailable: 14,
});

/** An error with an explicit gRPC status (for transport-level failures such as unknown methods). */
export class GrpcError extends namedError('GrpcError') {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** What goes on the wire for an error. */
export interface WireError {
  status: number;
  message: string;
  /** Encoded `google.rpc.Status`, present for coded errors. */
  detailsBin?: Uint8Array;
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return out;
}

function field(tag: number, wireType: number, payload: Uint8Array | number): number[] {
  const key = varint((tag << 3) | wireType);
  if (typeof payload === 'number') return [...key, ...varint(payload)];
  return [...key, ...varint(payload.length), ...payload];
}

/** Hand-encoded protobuf `google.rpc.Status{code, message, details: [Any{value: CBOR{module, code}}]}`. */
export function encodeStatusDetails(
  status: number,
  message: string,
  module: string,
  code: number,
): Uint8Array {
  const detail: Record<string, unknown> = {};
  if (module) detail.module = module;
  if (code) detail.code = code;
  const any = Uint8Array.from(field(2, 2, encodeCanonical(detail)));
  const bytes = [
    ...(status ? field(1, 0, status) : []),
    ...(message ? field(2, 2, new TextEncoder().encode(message)) : []),
    ...field(3, 2, any),
  ];
  return Uint8Array.from(bytes);
}

/** Maps any thrown value to its wire form. */
export function toWireError(err: unknown): WireError {
  if (err instanceof GrpcError) return { status: err.status, message: err.message };
  if (err instanceof CodedError) {
    return {
      status: GrpcStatus.unknown,
      message: err.message,
      detailsBin: encodeStatusDetails(GrpcStatus.unknown, err.message, err.module, err.code),
    };
  }
  return { status: GrpcStatus.unknown, message: err instanceof Error ? err.message : String(err) };
}

/** Reads protobuf fields `(tag, wireType, bytes|varint)` of one message; stops at malformed input. */
function* protoFields(buf: Uint8Array): Generator<[number, number, Uint8Array | number]> {
  let i = 0;
  const readVarint = (): number | undefined => {
    let out = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (i >= buf.length) return undefined;
      const b = buf[i++]!;
      out += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return out;
    }
    return undefined;
  };
  while (i < buf.length) {
    const key = readVarint();
    if (key === undefined) return;
    const wireType = key & 7;
    if (wireType === 0) {
      const v = readVarint();
      if (v === undefined) return;
      yield [key >>> 3, 0, v];
    } else if (wireType === 2) {
      const len = readVarint();
      if (len === undefined || i + len > buf.length) return;
      yield [key >>> 3, 2, buf.subarray(i, i + len)];
      i += len;
    } else {
      return;
    }
  }
}

/** Extracts `{module, code}` from an encoded `google.rpc.Status` (inverse of `encodeStatusDetails`). */
export function decodeStatusDetails(bin: Uint8Array): { module: string; code: number } | undefined {
  for (const [tag, wire, any] of protoFields(bin)) {
    if (tag !== 3 || wire !== 2) continue;
    for (const [anyTag, anyWire, value] of protoFields(any as Uint8Array)) {
      if (anyTag !== 2 || anyWire !== 2) continue;
      try {
        const d = decodeCanonical(value as Uint8Array) as { module?: string; code?: number };
        return { module: String(d.module ?? ''), code: Number(d.code ?? 0) };
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}
