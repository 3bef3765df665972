/**
 * The beacon service: keeps epoch time and the per-epoch random beacon. Epochs last `interval` blocks
 * from the genesis height; the transition happens in the BeginBlock of the first block of the new epoch,
 * so every service sees the new epoch in that block. It is also the mux's `EpochSource`.
 *
 * Entropy (oasis-core's `insecure` backend, adapted): SHA3-256 over the transition block's height, time and
 * proposer key; beacon = SHA3-256("EkB-tmnt" || entropy || LE64(epoch)). A proposer can bias it by choosing
 * the block time, which is why oasis-core calls the backend insecure; the VRF backend removes that.
 */
import { createHash } from 'node:crypto';
import { concatBytes, utf8 } from '../../codec/bytes.ts';
import type { StateReader } from '../../state/api.ts';
import type { ServiceContext } from '../mux/context.ts';
import type { EpochSource, EpochTime } from '../mux/epoch.ts';
import type { ConsensusService, GenesisSections } from '../mux/service.ts';
import { BEACON_MODULE, type BeaconGenesis, epochInterval } from './api/types.ts';
import {
  baseEpochState,
  beaconParameters,
  currentEpochState,
  futureEpochState,
  setBaseEpochState,
  setBeaconParameters,
  setBeaconValue,
  setCurrentEpochState,
  setFutureEpochState,
} from './state.ts';

const BEACON_CONTEXT = utf8('EkB-tmnt');

function le64(n: bigint | number): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n), true);
  return out;
}

function sha3(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha3-256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** The beacon value of `epoch` from the transition block's height, time and proposer. */
export function insecureBeacon(
  epoch: bigint,
  height: number,
  time: number,
  proposer: Uint8Array,
): Uint8Array {
  const entropy = sha3(le64(height), le64(time), proposer);
  return sha3(concatBytes(BEACON_CONTEXT, entropy, le64(epoch)));
}

/** The `000_beacon` consensus service. */
export class BeaconService implements ConsensusService, EpochSource {
  readonly name = '000_beacon';
  readonly module = BEACON_MODULE;
  readonly priority = 100_000n;
  readonly methods: readonly string[] = [];

  initChain(ctx: ServiceContext, genesis: GenesisSections): void {
    const g = genesis.beacon as BeaconGenesis | undefined;
    if (!g) throw new Error('genesis: missing beacon section');
    setBeaconParameters(ctx.state, g.params);
    const base = { epoch: g.base, height: ctx.height };
    setBaseEpochState(ctx.state, base);
    setCurrentEpochState(ctx.state, base);
    setFutureEpochState(ctx.state, { epoch: g.base + 1n, height: ctx.height + epochInterval(g.params) });
    setBeaconValue(ctx.state, insecureBeacon(g.base, ctx.height, ctx.block.time, new Uint8Array(0)));
  }

  beginBlock(ctx: ServiceContext): void {
    const future = futureEpochState(ctx.state);
    if (!future || future.height !== ctx.height) return;
    const interval = epochInterval(beaconParameters(ctx.state));
    setCurrentEpochState(ctx.state, future);
    setFutureEpochState(ctx.state, { epoch: future.epoch + 1n, height: future.height + interval });
    setBeaconValue(ctx.state, insecureBeacon(future.epoch, ctx.height, ctx.block.time, ctx.block.proposer));
    ctx.emit(BEACON_MODULE, 'epoch', future.epoch);
  }

  executeTx(): void {
    throw new Error('beacon: no transactions');
  }

  currentEpoch(state: StateReader, _height: number): EpochTime {
    const current = currentEpochState(state);
    if (!current) throw new Error('beacon: epoch state not initialized');
    return current.epoch;
  }

  epochChanged(state: StateReader, height: number): boolean {
    const current = currentEpochState(state);
    const base = baseEpochState(state);
    return current !== undefined && current.height === height && current.epoch !== base?.epoch;
  }
}
