/**
 * Plumbing shared by the query services: resolving a height to the state committed at it (0 = latest, as
 * oasis-core's `HeightLatest`), and strict decoders of the common request shapes.
 */
import type { CborValue } from '../codec/cbor.ts';
import { bytes, struct, uint } from '../codec/schema.ts';
import { ConsensusErrors } from '../consensus/api/transaction.ts';
import { CodedError } from '../errors.ts';
import type { StateReader } from '../state/api.ts';
import { GrpcError, GrpcStatus } from './errors.ts';
import { type UnaryMethod, unaryMethod } from './method.ts';

/** Committed state by height, as the node keeps it. */
export interface StateByHeight {
  /** Latest committed height (0 before the first block). */
  latestHeight(): number;
  /** State committed at `height`; throws for heights not kept. */
  stateAt(height: number): StateReader;
}

/** State at a requested height (0 = latest); `consensus` 3 (version not found) for heights not kept. */
export function resolveState(states: StateByHeight, height: number): StateReader {
  const latest = states.latestHeight();
  if (latest === 0) throw ConsensusErrors.noCommittedBlocks();
  const h = height === 0 ? latest : height;
  if (h > latest)
    throw ConsensusErrors.versionNotFound(`height ${h} is not committed yet (latest ${latest})`);
  try {
    return states.stateAt(h);
  } catch (err) {
    const { module, code } = ConsensusErrors.versionNotFound();
    if (CodedError.is(err, module, code)) throw err;
    throw ConsensusErrors.versionNotFound(`height ${h} is no longer kept`);
  }
}

/** consensus/3 for a height below the kept window, naming the window's first height. */
export function prunedHeightError(height: number, lastRetained: number): Error {
  return ConsensusErrors.versionNotFound(
    `height ${height} is pruned: the last retained height is ${lastRetained}`,
  );
}

function badRequest(err: unknown): never {
  throw new GrpcError(GrpcStatus.invalidArgument, `malformed request: ${(err as Error).message}`);
}

/** Decodes a request with `decoder`, turning decode errors into InvalidArgument. */
export function decodeRequestWith<T>(
  decoder: (v: CborValue, path: string) => T,
  request: CborValue | undefined,
): T {
  try {
    if (request === undefined) throw new Error('empty request');
    return decoder(request, 'request');
  } catch (err) {
    return badRequest(err);
  }
}

/** A bare height (uint) request; an empty request means latest. */
export function heightOf(request: CborValue | undefined): number {
  return request === undefined ? 0 : decodeRequestWith(uint, request);
}

/** `{height, owner}` (staking owner queries). */
export const ownerQuery = struct({ height: uint, owner: bytes(21) });
/** `{height, id}` (registry entity/node queries). */
export const idQuery = struct({ height: uint, id: bytes(32) });
/** A public unary method of `service` whose handler reads state at the request's height. */
export function stateMethod(
  service: string,
  name: string,
  states: StateByHeight,
  handler: (state: StateReader, request: CborValue | undefined) => unknown,
  heightFrom: (request: CborValue | undefined) => number = heightOf,
): UnaryMethod {
  return unaryMethod(service, name, async (request) =>
    handler(resolveState(states, heightFrom(request)), request),
  );
}

/**
 * A public unary method whose request is a struct with a `height` field (e.g. `{height, owner}`): decodes it
 * strictly, resolves the state at that height and hands both to `handler`.
 */
export function structQueryMethod<R extends { height: number }>(
  service: string,
  name: string,
  states: StateByHeight,
  decoder: (v: CborValue, path: string) => R,
  handler: (state: StateReader, request: R) => unknown,
): UnaryMethod {
  return unaryMethod(service, name, async (raw) => {
    const request = decodeRequestWith(decoder, raw);
    return handler(resolveState(states, request.height), request);
  });
}
