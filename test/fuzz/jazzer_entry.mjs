// The module Jazzer.js loads (it only accepts .js/.mjs/.cjs names; tsx, preloaded, compiles the .ts it
// imports): the target named by FUZZ_TARGET, as the `fuzz` function called once per input.
import { targetNamed } from './targets/index.ts';

const target = targetNamed(process.env.FUZZ_TARGET ?? '');

/** One input from the fuzzer. */
export function fuzz(data) {
  return target.check(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}
