/**
 * Makes the prebuilt Jazzer.js addon loadable on Debian 12 (glibc 2.36, libstdc++ 12). The prebuild asks for
 * GLIBC_2.38 (only for the C23 strtol/strtoul) and GLIBCXX_3.4.32 (only for std::ios_base_library_init); the
 * loader refuses a library whose version requirements the system cannot meet. This relabels those two
 * requirements to versions the system has, and jazzer_compat.cpp (preloaded) supplies the three symbols.
 * Idempotent: the original is kept beside it as `.orig` and always patched from there.
 */
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const SHT_GNU_VERNEED = 0x6ffffffe;
/** Version requirement → an older version of the same library that provides everything else it names. */
const RELABEL: Record<string, string> = { 'GLIBC_2.38': 'GLIBC_2.2.5', 'GLIBCXX_3.4.32': 'GLIBCXX_3.4.20' };

/** The SysV ELF hash the dynamic loader compares before a version name. */
function elfHash(name: string): number {
  let h = 0;
  for (const c of Buffer.from(name)) {
    h = ((h << 4) + c) >>> 0;
    const g = h & 0xf0000000;
    if (g !== 0) h ^= g >>> 24;
    h &= ~g >>> 0;
  }
  return h >>> 0;
}

function cString(buf: Buffer, at: number): string {
  return buf.toString('latin1', at, buf.indexOf(0, at));
}

/** Rewrites the version-needs entries of `elf` in place; returns the names it relabelled. */
export function relabelVersionNeeds(elf: Buffer): string[] {
  if (elf.readUInt32BE(0) !== 0x7f454c46 || elf[4] !== 2 || elf[5] !== 1)
    throw new Error('not a 64-bit LE ELF');
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const shentsize = elf.readUInt16LE(0x3a);
  const shnum = elf.readUInt16LE(0x3c);
  const section = (i: number) => {
    const at = shoff + i * shentsize;
    return {
      type: elf.readUInt32LE(at + 4),
      offset: Number(elf.readBigUInt64LE(at + 24)),
      link: elf.readUInt32LE(at + 40),
      info: elf.readUInt32LE(at + 44),
    };
  };
  const done: string[] = [];
  for (let i = 0; i < shnum; i++) {
    const verneed = section(i);
    if (verneed.type !== SHT_GNU_VERNEED) continue;
    const strtab = section(verneed.link).offset;
    // Offsets of every version name already in the string table, so a relabel can point at one.
    const nameOffsets = new Map<string, number>();
    let need = verneed.offset;
    const auxes: number[] = [];
    for (let n = 0; n < verneed.info; n++) {
      const cnt = elf.readUInt16LE(need + 2);
      let aux = need + elf.readUInt32LE(need + 8);
      for (let a = 0; a < cnt; a++) {
        auxes.push(aux);
        const nameAt = strtab + elf.readUInt32LE(aux + 8);
        nameOffsets.set(cString(elf, nameAt), elf.readUInt32LE(aux + 8));
        aux += elf.readUInt32LE(aux + 12);
      }
      need += elf.readUInt32LE(need + 12);
    }
    for (const aux of auxes) {
      const name = cString(elf, strtab + elf.readUInt32LE(aux + 8));
      const target = RELABEL[name];
      if (target === undefined) continue;
      const targetOffset = nameOffsets.get(target);
      if (targetOffset === undefined) throw new Error(`${target} is not in the addon's string table`);
      elf.writeUInt32LE(elfHash(target), aux);
      elf.writeUInt32LE(targetOffset, aux + 8);
      done.push(`${name} -> ${target}`);
    }
  }
  return done;
}

/** Patches `addon` (keeping `addon.orig`) and reports what changed. */
export function patchAddon(addon: string): string[] {
  const original = `${addon}.orig`;
  if (!existsSync(original)) copyFileSync(addon, original);
  const elf = readFileSync(original);
  const done = relabelVersionNeeds(elf);
  // Several fuzzers may start at once while others already run: rewrite only when needed, and by rename,
  // so no process ever maps a half-written library.
  if (!readFileSync(addon).equals(elf)) {
    writeFileSync(`${addon}.tmp-${process.pid}`, elf);
    renameSync(`${addon}.tmp-${process.pid}`, addon);
  }
  return done;
}
