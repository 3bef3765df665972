/**
 * Headers state sync may believe. The restore needs the header of the checkpoint height + 1 (its app hash
 * is the checkpoint's state root), verified from the operator's trust root `{height, hash, period}` — the
 * port `VerifiedHeaderAt`. The light client (src/consensus/light) is the full implementation; this file
 * has a minimal one over the state-sync protocol's light blocks, as CometBFT's skipping verification in a
 * single step: the header's commit carries > 2/3 of its own validator set (whose hash it names) and more
 * than 1/3 of the trusted set's power, and the trust root is younger than the trust period. It does not
 * bisect across large validator-set changes.
 */
import { bytesEqual, toHex } from '../codec/bytes.ts';
import { type BlockHeader, blockHash } from '../consensus/api/block.ts';
import { CommitFlag, verifyCommit } from '../consensus/api/commit.ts';
import { ValidatorSet } from '../consensus/bft/validator_set.ts';
import { namedError } from '../errors.ts';
import type { PeerKey } from '../p2p/api.ts';
import type { LightBlock, LightValidator, StateSyncClient } from './checkpoint_protocol.ts';

/** Resolves with the header at `height` once it is verified from the trust root; rejects otherwise. */
export type VerifiedHeaderAt = (height: number) => Promise<BlockHeader>;

/** The operator's trust root (`consensus.light_client.trust`). */
export interface TrustRoot {
  height: number;
  /** Hash of the block at `height`. */
  hash: Uint8Array;
  /** How long the trusted header may be relied on, milliseconds. */
  periodMs: number;
}

/** The trust root cannot be used (wrong hash, expired): state sync must stop, not retry. */
export class TrustError extends namedError('TrustError') {}

/** Hash of a validator list as headers name it (the same as `ValidatorSet.hash`). */
function validatorsHash(validators: LightValidator[]): Uint8Array {
  if (validators.length === 0) throw new Error('empty validator set');
  const set = ValidatorSet.restore(
    validators.map((v) => ({ ...v, priority: 0n })),
    validators[0]!.publicKey,
  );
  return set.hash();
}

/** Checks a light block's own consistency: its set is the one its header names and it signed > 2/3. */
function checkLightBlock(lb: LightBlock, chainContext: string, height: number): void {
  if (lb.header.height !== height) throw new Error(`header of height ${lb.header.height}, asked ${height}`);
  if (lb.header.chainId !== chainContext) throw new Error('header of another chain');
  if (!bytesEqual(validatorsHash(lb.validators), lb.header.validatorsHash))
    throw new Error('validators do not match the header');
  verifyCommit(lb.commit, lb.validators, chainContext, height, blockHash(lb.header));
}

/** True when the commit's signers (already verified) hold more than 1/3 of the trusted set's power. */
function trustedOverlap(lb: LightBlock, trusted: LightValidator[]): boolean {
  const power = new Map(trusted.map((v) => [toHex(v.publicKey), v.power]));
  const total = trusted.reduce((sum, v) => sum + v.power, 0n);
  let signed = 0n;
  lb.commit.signatures.forEach((s, i) => {
    if (s.flag === CommitFlag.commit) signed += power.get(toHex(lb.validators[i]!.publicKey)) ?? 0n;
  });
  return 3n * signed > total;
}

/** What the commit-based verifier needs. */
export interface CommitVerifierOptions {
  client: StateSyncClient;
  peers: () => PeerKey[];
  chainContext: string;
  trust: TrustRoot;
  now?: () => number;
}

/** A `VerifiedHeaderAt` over the peers' light blocks (see the file comment for what it checks). */
export function commitHeaderVerifier(o: CommitVerifierOptions): VerifiedHeaderAt {
  let root: Promise<LightBlock> | undefined;
  const fromAnyPeer = async (height: number, accept: (lb: LightBlock) => void): Promise<LightBlock> => {
    const problems: string[] = [];
    for (const peer of o.peers()) {
      try {
        const lb = await o.client.lightBlock(peer, height);
        checkLightBlock(lb, o.chainContext, height);
        accept(lb);
        return lb;
      } catch (err) {
        if (err instanceof TrustError) throw err;
        problems.push(`${peer.slice(0, 16)}: ${(err as Error).message}`);
      }
    }
    throw new Error(`no peer gave a verifiable header at ${height} (${problems.join('; ') || 'no peers'})`);
  };
  const trusted = (): Promise<LightBlock> => {
    root ??= (async () => {
      const mismatches: string[] = [];
      const lb = await fromAnyPeer(o.trust.height, (candidate) => {
        const hash = blockHash(candidate.header);
        if (!bytesEqual(hash, o.trust.hash)) {
          mismatches.push(toHex(hash));
          throw new Error(`block hash ${toHex(hash)}`);
        }
      }).catch((err: Error) => {
        if (mismatches.length > 0)
          throw new TrustError(
            `trust hash ${toHex(o.trust.hash)} is not the hash of block ${o.trust.height} (peers have ${[...new Set(mismatches)].join(', ')}): check consensus.light_client.trust.hash and height`,
          );
        throw err;
      });
      const age = (o.now ?? Date.now)() - lb.header.time;
      if (age > o.trust.periodMs)
        throw new TrustError(
          `trusted block ${o.trust.height} is ${Math.round(age / 1000)} s old, beyond the trust period of ${Math.round(o.trust.periodMs / 1000)} s: pick a newer trust root`,
        );
      return lb;
    })();
    // A failure that is not the trust root's fault (no peers yet) is retried on the next call.
    root.catch((err) => {
      if (!(err instanceof TrustError)) root = undefined;
    });
    return root;
  };
  return async (height) => {
    const t = await trusted();
    if (height === o.trust.height) return t.header;
    if (height < o.trust.height)
      throw new TrustError(
        `height ${height} is below the trust height ${o.trust.height}: pick an older trust root`,
      );
    const lb = await fromAnyPeer(height, (candidate) => {
      if (!trustedOverlap(candidate, t.validators))
        throw new Error('signed by too little of the trusted set');
      if (candidate.header.time <= t.header.time) throw new Error('header is not after the trusted one');
    });
    return lb.header;
  };
}
