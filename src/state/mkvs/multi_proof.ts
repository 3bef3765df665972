/**
 * One proof for a batch of reads (oasis-core's `SyncGetPrefixes` / `SyncIterate` answers): the union of
 * the lookup paths of several keys, each node once, in the same pre-order format as a single-key proof.
 * A verifier rebuilds the partial tree once and looks every key up in it; between two keys adjacent in
 * key order a trie holds nothing else, so the union also proves that an iteration skipped no key.
 */
import { getBit } from './bits.ts';
import { encodeInternal, encodeLeaf } from './codec.ts';
import { MkvsErrorCode, mkvsError } from './errors.ts';
import { type Child, childHash, deref, type NodeLoader } from './node.ts';
import { fullEntry, hashEntry, type Proof } from './proof.ts';

/** A proof covering the lookup path of every key in `keys` under `root` (v1 unless `version` is 0). */
export function buildMultiProof(
  loader: NodeLoader,
  root: Child,
  keys: readonly Uint8Array[],
  version = 1,
): Proof {
  if (version !== 0 && version !== 1) throw mkvsError(MkvsErrorCode.badInput, `no proof version ${version}`);
  const entries: Array<Uint8Array | null> = [];
  const emit = (child: Child, through: readonly Uint8Array[], depth: number): void => {
    if (through.length === 0) {
      entries.push(hashEntry(child));
      return;
    }
    const node = deref(loader, child);
    if (node === null || node.kind === 'leaf') {
      entries.push(node === null ? null : fullEntry(encodeLeaf(node)));
      return;
    }
    entries.push(fullEntry(encodeInternal(node, false, version === 0)));
    const branch = depth + node.labelBits;
    if (version === 1) {
      const leafAsked = node.leaf !== null && through.some((k) => k.length * 8 === branch);
      entries.push(leafAsked ? fullEntry(encodeLeaf(node.leaf!)) : hashEntry(node.leaf));
    }
    // As a single-key lookup: keys ending at or above this node stop here; the rest go by their bit.
    const below = through.filter((k) => k.length * 8 > branch);
    emit(
      node.left,
      below.filter((k) => !getBit(k, branch)),
      branch,
    );
    emit(
      node.right,
      below.filter((k) => getBit(k, branch)),
      branch,
    );
  };
  emit(root, keys, 0);
  return { v: version, untrustedRoot: childHash(root), entries };
}
