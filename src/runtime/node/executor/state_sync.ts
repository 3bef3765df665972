/**
 * Runtime state transfer between nodes: a node that hosts a runtime serves pages of any state root it
 * holds, and a node that lacks the state a finalized block names (it was not in the committee, missed the
 * proposal or was down) fetches it page by page from its peers and adopts it only if the entries hash to
 * that root. Peers answering with garbage or a wrong state are penalized and the next peer is tried.
 */
import { compareBytes, toHex } from '../../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../codec/cbor.ts';
import { arrayOf, bytes, type Decoder, optional, struct, uint } from '../../../codec/schema.ts';
import { HASH_SIZE } from '../../../crypto/hash.ts';
import { CodecError, CodedError } from '../../../errors.ts';
import type { P2PHost } from '../../../p2p/api.ts';
import { RHP_MODULE, RhpErrorCode } from '../../protocol/errors.ts';
import type { RuntimeHost } from '../host/host.ts';

/** Entries per page asked for. */
export const STATE_PAGE_SIZE = 2_000;
/** Largest state (in entries) a node fetches this way. */
export const MAX_SYNCED_ENTRIES = 5_000_000;

const requestDecoder = struct({ root: bytes(HASH_SIZE), after: optional(bytes()), limit: uint });
const pair: Decoder<[Uint8Array, Uint8Array]> = (v, p) => {
  if (!Array.isArray(v) || v.length !== 2) throw new CodecError(p, 'expected [key, value]');
  return [bytes()(v[0]!, `${p}[0]`), bytes()(v[1]!, `${p}[1]`)];
};
const responseDecoder = struct({ entries: arrayOf(pair) });

/** Serves pages of `host`'s state on `protocol`. */
export function serveRuntimeState(p2p: P2PHost, protocol: string, host: RuntimeHost): void {
  p2p.handle(protocol, async (_from, data) => {
    const req = requestDecoder(decodeCanonical(data), 'request');
    const entries = host.statePage(req.root, req.after, Math.min(req.limit, STATE_PAGE_SIZE));
    return encodeCanonical({ entries });
  });
}

/**
 * Refuses a page that is longer than asked for or whose keys do not strictly ascend after `after`: an
 * honest peer never sends one, and without this check a peer repeating a page would keep the fetch going
 * up to the sync limit (and unpenalized).
 */
function checkPage(page: Array<[Uint8Array, Uint8Array]>, after: Uint8Array | undefined): void {
  if (page.length > STATE_PAGE_SIZE)
    throw new CodecError('response.entries', `more than the ${STATE_PAGE_SIZE} entries asked for`);
  let previous = after;
  for (const [i, [key]] of page.entries()) {
    if (previous !== undefined && compareBytes(key, previous) <= 0)
      throw new CodecError(`response.entries[${i}]`, 'keys do not ascend after the previous one');
    previous = key;
  }
}

/** Fetches the full state of `root` from one peer (throws on any failure or a wrong answer). */
async function fetchFrom(p2p: P2PHost, protocol: string, peer: string, root: Uint8Array) {
  const entries: Array<[Uint8Array, Uint8Array]> = [];
  let after: Uint8Array | undefined;
  for (;;) {
    const req = encodeCanonical({ root, limit: STATE_PAGE_SIZE, ...(after ? { after } : {}) });
    const page = responseDecoder(decodeCanonical(await p2p.request(peer, protocol, req)), 'response').entries;
    checkPage(page, after);
    entries.push(...page);
    if (entries.length > MAX_SYNCED_ENTRIES) throw new Error('state larger than the sync limit');
    if (page.length < STATE_PAGE_SIZE) return entries;
    after = page[page.length - 1]![0];
  }
}

/**
 * Makes `host` hold the state of `root`, asking connected peers in turn. Resolves true once it does,
 * false when no peer could provide it.
 */
export async function syncRuntimeState(
  p2p: P2PHost,
  protocol: string,
  host: RuntimeHost,
  root: Uint8Array,
  warn: (message: string, fields: Record<string, unknown>) => void,
): Promise<boolean> {
  for (const peer of p2p.peers()) {
    if (host.hasState(root)) return true;
    try {
      await host.importState(root, await fetchFrom(p2p, protocol, peer, root));
      return true;
    } catch (err) {
      // A peer without the state says so; one whose state does not hash to the root lied.
      const lied =
        err instanceof CodedError && err.module === RHP_MODULE && err.code === RhpErrorCode.protocolViolation;
      if (lied || err instanceof CodecError) p2p.penalize(peer, 'wrong runtime state');
      warn('runtime state sync from peer failed', { peer, root: toHex(root), err: (err as Error).message });
    }
  }
  return host.hasState(root);
}
