/**
 * MKVS benchmark: the per-block work services cause. Run:
 *   node --import tsx --import ./src/polyfill.ts bench/state/mkvs.bench.ts [baseKeys]
 * Keys look like staking accounts (prefix byte + 21-byte address), values like small CBOR records.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { sha512_256 } from '../../src/crypto/hash.ts';
import { encodeProof, verifyProof } from '../../src/state/mkvs/proof.ts';
import { openMkvs } from '../../src/state/mkvs/versioned.ts';

const BASE = Number(process.argv[2] ?? 100_000);

function key(i: number): Uint8Array {
  const h = sha512_256(Uint8Array.of(i >>> 24, i >>> 16, i >>> 8, i));
  const out = new Uint8Array(22);
  out[0] = 0x50;
  out.set(h.subarray(0, 21), 1);
  return out;
}

function value(i: number, round: number): Uint8Array {
  const out = new Uint8Array(80);
  new DataView(out.buffer).setUint32(0, i ^ round);
  out.fill(round & 0xff, 4);
  return out;
}

/** Wall time and this process's CPU time (user + system) of `fn`: on a shared machine, CPU time is the steadier figure. */
interface Took {
  wall: number;
  cpu: number;
}

function took(startWall: number, startCpu: NodeJS.CpuUsage): Took {
  const cpu = process.cpuUsage(startCpu);
  return { wall: performance.now() - startWall, cpu: (cpu.user + cpu.system) / 1000 };
}

function timed<T>(fn: () => T): [T, Took] {
  const [wall, cpu] = [performance.now(), process.cpuUsage()];
  const result = fn();
  return [result, took(wall, cpu)];
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<[T, Took]> {
  const [wall, cpu] = [performance.now(), process.cpuUsage()];
  const result = await fn();
  return [result, took(wall, cpu)];
}

const ms = (t: Took): string => `${t.wall.toFixed(1)} ms (cpu ${t.cpu.toFixed(1)} ms)`;
const rate = (n: number, t: Took): string =>
  `${Math.round((n / t.cpu) * 1000).toLocaleString('en-US')}/s of cpu`;

const dir = mkdtempSync(join(tmpdir(), 'mkvs-bench-'));
try {
  let state = await openMkvs(dir);
  const keys = Array.from({ length: BASE }, (_, i) => key(i));
  const w = state.working();
  const [, insertMs] = timed(() => {
    for (let i = 0; i < BASE; i++) w.set(keys[i]!, value(i, 0));
  });
  const [, hashMs] = timed(() => state.workingRoot());
  const [, commitMs] = await timedAsync(() => state.commit(1));
  console.log(
    `base ${BASE} keys: insert ${rate(BASE, insertMs)}, hash ${ms(hashMs)}, commit ${ms(commitMs)}`,
  );

  let version = 1;
  for (const changed of [1_000, 10_000]) {
    for (let round = 0; round < 3; round++) {
      const [, setMs] = timed(() => {
        for (let j = 0; j < changed; j++) {
          const i = (j * 7919 + round * 104729 + changed) % BASE;
          w.set(keys[i]!, value(i, version + 1));
        }
      });
      const [, rootMs] = timed(() => state.workingRoot());
      const [, cMs] = await timedAsync(() => state.commit(++version));
      console.log(
        `${changed} changed keys on ${BASE}: set ${ms(setMs)}, workingRoot ${ms(rootMs)}, commit (durable) ${ms(cMs)}`,
      );
    }
  }

  const reader = state.at(version);
  const lookups = 200_000;
  const [, getMs] = timed(() => {
    for (let j = 0; j < lookups; j++) reader.get(keys[(j * 7919) % BASE]!);
  });
  console.log(`get (warm cache, committed version): ${rate(lookups, getMs)}`);
  const [, wGetMs] = timed(() => {
    for (let j = 0; j < lookups; j++) w.get(keys[(j * 104729) % BASE]!);
  });
  console.log(`get (working state): ${rate(lookups, wGetMs)}`);

  const [count, iterMs] = timed(() => {
    let n = 0;
    for (const _ of reader.entries(Uint8Array.of(0x50))) n++;
    return n;
  });
  console.log(`iterate ${count} entries: ${rate(count, iterMs)}`);

  const proofs = 5_000;
  let size = 0;
  const root = state.rootHash(version);
  const [, proveMs] = timed(() => {
    for (let j = 0; j < proofs; j++) size += encodeProof(state.prove(version, keys[(j * 31) % BASE]!)).length;
  });
  const sample = state.prove(version, keys[42]!);
  const [, verifyMs] = timed(() => {
    for (let j = 0; j < proofs; j++) verifyProof(root, keys[42]!, sample);
  });
  console.log(
    `proofs: avg ${Math.round(size / proofs)} bytes (${sample.entries.length} entries), build ${rate(proofs, proveMs)}, verify ${rate(proofs, verifyMs)}`,
  );

  const [, pruneMs] = await timedAsync(() => state.prune(version));
  console.log(`prune ${version - 1} versions: ${ms(pruneMs)}`);

  await state.close();
  state = await openMkvs(dir, { cachedNodes: 10_000 });
  const cold = state.at(version);
  const [, coldMs] = timed(() => {
    for (let j = 0; j < lookups; j++) cold.get(keys[(j * 7919) % BASE]!);
  });
  console.log(`get (reopened, 10k-node cache): ${rate(lookups, coldMs)}`);
  await state.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
