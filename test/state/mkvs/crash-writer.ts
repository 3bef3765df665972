/**
 * Child process for the crash test: commits versions 1, 2, 3, … forever into the MKVS at argv[2], each
 * version's content a function of its number, and reports each durable commit on stdout. The parent
 * kills it with SIGKILL at an arbitrary instant.
 */
import { utf8 } from '../../../src/codec/bytes.ts';
import { openMkvs } from '../../../src/state/mkvs/versioned.ts';

/** The writes of version `v` (deterministic, so the parent can recompute the expected state). */
export function writesOf(v: number): Array<[Uint8Array, Uint8Array | null]> {
  const out: Array<[Uint8Array, Uint8Array | null]> = [[utf8('height'), utf8(String(v))]];
  for (let i = 0; i < 200; i++) out.push([utf8(`key ${(v * 37 + i) % 3000}`), utf8(`v${v}-${i}`)]);
  for (let i = 0; i < 50; i++) out.push([utf8(`key ${(v * 101 + i * 7) % 3000}`), null]);
  return out;
}

if (process.argv[2] !== undefined) {
  const state = await openMkvs(process.argv[2]);
  for (let v = state.latestVersion() + 1; ; v++) {
    for (const [key, value] of writesOf(v)) {
      if (value === null) state.working().remove(key);
      else state.working().set(key, value);
    }
    await state.commit(v);
    if (v > 2) await state.prune(v - 2);
    process.stdout.write(`${v}\n`);
  }
}
