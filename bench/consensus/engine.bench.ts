/**
 * Consensus throughput on simulated networks with zero network delay (never a test: numbers only).
 *
 * 1. Engine only: N engines of the paper's state machine exchanging proposals and votes in process
 *    (no crypto, no driver): heights per second of engine time, engine inputs per node per height.
 * 2. Full stack: the simulator's cluster (driver, Ed25519 signing and verification, WAL, guard, KV app)
 *    with perfect zero-delay links and timeout_commit = 0: heights per second and CPU per height, plus
 *    messages sent per node per height (should grow linearly with N).
 *
 * Run: node --import tsx --import ./src/polyfill.ts bench/consensus/engine.bench.ts [sizes…]
 */
import { ConsensusEngine } from '../../src/consensus/bft/engine/engine.ts';
import type { EngineInput, EngineOutput } from '../../src/consensus/bft/engine/types.ts';
import { DEFAULT_TIMEOUTS } from '../../src/consensus/bft/engine/types.ts';
import { GENESIS_TIME, SimCluster } from '../../src/consensus/sim/cluster.ts';

function engineOnly(n: number, heights: number) {
  const names = Array.from({ length: n }, (_, i) => `v${i}`);
  const powers = new Map(names.map((x) => [x, 1n]));
  let inputs = 0;
  let engineNs = 0n;
  for (let h = 1; h <= heights; h++) {
    const engines = new Map(
      names.map((self) => [
        self,
        new ConsensusEngine({
          height: h,
          powers,
          proposer: (r) => names[(h + r) % n]!,
          self,
          timeouts: DEFAULT_TIMEOUTS,
        }),
      ]),
    );
    const queue: Array<{ to: string; input: EngineInput }> = [];
    const route = (from: string, outs: EngineOutput[]) => {
      for (const o of outs) {
        if (o.kind === 'requestValue') {
          queue.push({ to: from, input: { kind: 'proposeValue', round: o.round, value: `b${h}` } });
        } else if (o.kind === 'proposal') {
          for (const to of names) {
            queue.push({
              to,
              input: {
                kind: 'proposal',
                round: o.round,
                value: o.value,
                polRound: o.polRound,
                sender: from,
                valid: true,
              },
            });
          }
        } else if (o.kind === 'vote') {
          for (const to of names)
            queue.push({
              to,
              input: { kind: 'vote', type: o.type, round: o.round, value: o.value, sender: from },
            });
        }
      }
    };
    for (const [self, e] of engines) route(self, e.start());
    while (queue.length > 0) {
      const { to, input } = queue.shift()!;
      const t0 = process.hrtime.bigint();
      const outs = engines.get(to)!.apply(input);
      engineNs += process.hrtime.bigint() - t0;
      inputs++;
      route(to, outs);
    }
    for (const e of engines.values()) if (e.decision === null) throw new Error(`height ${h} undecided`);
  }
  const seconds = Number(engineNs) / 1e9;
  return {
    heightsPerSec: heights / seconds,
    inputsPerNodePerHeight: inputs / n / heights,
    msPerHeight: (seconds * 1000) / heights,
  };
}

async function fullStack(n: number, heights: number) {
  const c = await SimCluster.create({
    seed: 1,
    validators: n,
    byzantine: 0,
    timeoutCommitMs: 0,
    traceDeliveries: 0,
  });
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  await c.runUntil(() => c.names.every((x) => c.committedHeight.get(x)! >= heights), GENESIS_TIME + 600_000);
  const wall = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  c.stop();
  const reached = Math.min(...c.committedHeight.values());
  if (reached < heights) throw new Error(`only reached height ${reached}`);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    heightsPerSec: heights / (wall / 1000),
    cpuMsPerHeight: cpuMs / heights,
    msgsPerNodePerHeight: c.network.sent / n / heights,
  };
}

const sizes = process.argv
  .slice(2)
  .map(Number)
  .filter((x) => x > 0);
for (const n of sizes.length > 0 ? sizes : [4, 16, 100]) {
  const e = engineOnly(n, n >= 100 ? 20 : 200);
  console.log(
    `engine     n=${n}: ${e.heightsPerSec.toFixed(1)} heights/s of engine time, ` +
      `${e.msPerHeight.toFixed(3)} ms engine time per height (all ${n} nodes; ${((e.msPerHeight * 1000) / n).toFixed(1)} µs per node), ` +
      `${e.inputsPerNodePerHeight.toFixed(1)} inputs per node per height`,
  );
  const f = await fullStack(n, n >= 100 ? 3 : n >= 16 ? 10 : 30);
  console.log(
    `full stack n=${n}: ${f.heightsPerSec.toFixed(2)} heights/s, ${f.cpuMsPerHeight.toFixed(1)} ms CPU per height ` +
      `(all ${n} nodes in one process; ${(f.cpuMsPerHeight / n).toFixed(2)} ms per node), ` +
      `${f.msgsPerNodePerHeight.toFixed(1)} messages sent per node per height`,
  );
}
