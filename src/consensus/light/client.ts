/**
 * The light client: from a trust root (height, hash, period) and untrusted sources, it answers "what is
 * the header at height H" with a header it verified — skipping ahead when more than a third of a trusted
 * set vouches for a later header and bisecting when not (CometBFT's skipping verification), or height by
 * height in sequential mode; hash-chaining backwards below the root. After each verification it asks the
 * witnesses for the same height: a conflicting header that itself verifies is a light-client attack,
 * reported to the sources as evidence and refused with `conflictingHeaders`.
 */
import { bytesEqual, toHex } from '../../codec/bytes.ts';
import { CodedError } from '../../errors.ts';
import { type BlockHeader, blockHash } from '../api/block.ts';
import type { CommitValidator } from '../api/commit.ts';
import { encodeLightAttack, type LightClientAttackEvidence } from '../api/light_attack_evidence.ts';
import type { LightBlock } from '../api/light_block.ts';
import { findAttack } from './detector.ts';
import { LIGHT_MODULE, LightErrorCode, lightError } from './errors.ts';
import { verifySequential, verifySkipping } from './skipping.ts';
import type { LightBlockSource } from './source.ts';
import {
  checkLightBlock,
  checkTrustLevel,
  DEFAULT_TRUST_LEVEL,
  type TrustLevel,
  type VerifyContext,
  verifyBackwards,
  verifyOwnCommit,
} from './verifier.ts';

/** The root of trust, from the operator (`consensus.light_client.trust`). */
export interface TrustRoot {
  height: number;
  /** Hash of the block at `height`. */
  hash: Uint8Array;
  /** How long a verified header may serve to verify later ones, ms (CometBFT's trusting period). */
  periodMs: number;
}

/** Settings of a light client. */
export interface LightClientOptions {
  /** Chain context the headers and signatures are bound to. */
  chainContext: string;
  trust: TrustRoot;
  /** Source asked first for every block. */
  primary: LightBlockSource;
  /** Sources that cross-check the primary (and stand in for it when it fails). */
  witnesses?: readonly LightBlockSource[];
  /** Default 1/3. */
  trustLevel?: TrustLevel;
  /** Default 10 s. */
  maxClockDriftMs?: number;
  /** Verify every height instead of skipping. */
  sequential?: boolean;
  /** Deadline of each request to a source, ms (default 10 s). */
  requestTimeoutMs?: number;
  /** Current time, unix ms (default the wall clock). */
  now?: () => number;
}

/** A header the client verified, with the set that signed it. */
export interface VerifiedHeader {
  height: number;
  /** Block hash. */
  hash: Uint8Array;
  /** Application state root after block `height − 1` (the header records results one block late). */
  appHash: Uint8Array;
  /** Block time, unix ms. */
  time: number;
  header: BlockHeader;
  /** The validators that signed the commit of this height, in set order. */
  validators: CommitValidator[];
}

/** Verified blocks kept before the store is pruned (oasis-core prunes at 21,000 down to 20,000). */
const MAX_TRUSTED_BLOCKS = 21_000;
const PRUNED_TO = 20_000;

/** Refusal after a conflicting, verifiable header: carries the evidence built against each side. */
export class LightClientAttackError extends CodedError {
  /** Evidence against the primary (given to the witness) and against the witness (given to the primary). */
  readonly evidence: readonly LightClientAttackEvidence[];
  constructor(message: string, evidence: readonly LightClientAttackEvidence[]) {
    super(LIGHT_MODULE, LightErrorCode.conflictingHeaders, `light client: ${message}`);
    this.evidence = evidence;
  }
}

/** A light client over untrusted sources; see the module comment. */
export class LightClient {
  readonly #o: LightClientOptions;
  readonly #trusted = new Map<number, LightBlock>();
  #sources: LightBlockSource[];
  #initialised: Promise<LightBlock> | undefined;

  constructor(o: LightClientOptions) {
    checkTrustLevel(o.trustLevel ?? DEFAULT_TRUST_LEVEL);
    if (!Number.isSafeInteger(o.trust.height) || o.trust.height < 1) {
      throw lightError('badOptions', `trust height ${o.trust.height} must be a positive integer`);
    }
    if (!(o.trust.periodMs > 0)) throw lightError('badOptions', 'trust period must be positive');
    if (o.trust.hash.length !== 32) throw lightError('badOptions', 'trust hash must be 32 bytes');
    this.#o = o;
    this.#sources = [o.primary, ...(o.witnesses ?? [])];
  }

  /**
   * The verified header at `height` (0 = the primary's latest). Fetches the trust root first (lazily, so a
   * client can be built before its peers are ready); `signal` aborts every wait.
   */
  async verifyHeight(height: number, signal?: AbortSignal): Promise<VerifiedHeader> {
    const root = await this.#root(signal);
    const target = height === 0 ? await this.#fetch(0, signal) : this.#trusted.get(height);
    if (target !== undefined && this.#trusted.has(target.header.height)) return toVerified(target);
    const h = height === 0 ? target!.header.height : height;
    let block: LightBlock;
    if (h < root.header.height) block = await this.#verifyBackwards(h, signal);
    else block = await this.#verifyForward(h, target, signal);
    await this.#crossCheck(block, signal);
    return toVerified(block);
  }

  /** The highest header verified so far (the trust root before any other). */
  async latestTrusted(signal?: AbortSignal): Promise<VerifiedHeader> {
    await this.#root(signal);
    const top = Math.max(...this.#trusted.keys());
    return toVerified(this.#trusted.get(top)!);
  }

  #ctx(): VerifyContext {
    return {
      chainContext: this.#o.chainContext,
      trustPeriodMs: this.#o.trust.periodMs,
      now: (this.#o.now ?? Date.now)(),
      maxClockDriftMs: this.#o.maxClockDriftMs ?? 10_000,
      trustLevel: this.#o.trustLevel ?? DEFAULT_TRUST_LEVEL,
    };
  }

  #root(signal?: AbortSignal): Promise<LightBlock> {
    this.#initialised ??= this.#fetchRoot(signal);
    // A failed start (no peer yet) is retried on the next call instead of poisoning the client.
    this.#initialised.catch(() => {
      this.#initialised = undefined;
    });
    return this.#initialised;
  }

  async #fetchRoot(signal?: AbortSignal): Promise<LightBlock> {
    const { height, hash } = this.#o.trust;
    const block = await this.#fetch(height, signal);
    const got = checkLightBlock(block, this.#o.chainContext);
    if (!bytesEqual(got, hash)) {
      throw lightError('trustHashMismatch', `block ${height} has hash ${toHex(got)}, trusted ${toHex(hash)}`);
    }
    // The root is trusted by its hash: only its own commit is checked (expiry bites on the next step).
    verifyOwnCommit(block, this.#o.chainContext);
    this.#trusted.set(height, block);
    await this.#crossCheck(block, signal);
    return block;
  }

  /** Skipping (or sequential) verification from the highest trusted header below `height`. */
  async #verifyForward(
    height: number,
    known: LightBlock | undefined,
    signal?: AbortSignal,
  ): Promise<LightBlock> {
    const base = this.#closestBelow(height);
    const target = known ?? (await this.#fetch(height, signal));
    const verify = this.#o.sequential ? verifySequential : verifySkipping;
    const trusted = await verify(
      base,
      target,
      (h) => this.#fetch(h, signal),
      () => this.#ctx(),
    );
    for (const b of trusted) this.#trust(b);
    return target;
  }

  /** Hash-chains down from the lowest trusted header to `height`. */
  async #verifyBackwards(height: number, signal?: AbortSignal): Promise<LightBlock> {
    let newer = this.#trusted.get(Math.min(...[...this.#trusted.keys()].filter((h) => h > height)))!;
    while (newer.header.height > height) {
      const older = await this.#fetch(newer.header.height - 1, signal);
      verifyBackwards(newer, older, this.#o.chainContext);
      this.#trust(older);
      newer = older;
    }
    return newer;
  }

  /** Records a verified block; past `MAX_TRUSTED_BLOCKS` the lowest ones go (never the root). */
  #trust(block: LightBlock): void {
    this.#trusted.set(block.header.height, block);
    if (this.#trusted.size <= MAX_TRUSTED_BLOCKS) return;
    const heights = [...this.#trusted.keys()].sort((a, b) => a - b);
    for (const h of heights.slice(0, heights.length - PRUNED_TO)) {
      if (h !== this.#o.trust.height) this.#trusted.delete(h);
    }
  }

  #closestBelow(height: number): LightBlock {
    let best = -1;
    for (const h of this.#trusted.keys()) if (h <= height && h > best) best = h;
    return this.#trusted.get(best)!;
  }

  /** Asks the witnesses for `block`'s height; a verifiable conflict is an attack. */
  async #crossCheck(block: LightBlock, signal?: AbortSignal): Promise<void> {
    const primary = this.#sources[0]!;
    for (const witness of this.#sources.slice(1)) {
      const evidence = await findAttack({
        block,
        trace: [...this.#trusted.values()].sort((a, b) => a.header.height - b.header.height),
        witness,
        fetch: (h) => this.#fetchFrom(witness, h, signal),
        ctx: () => this.#ctx(),
      });
      if (evidence === null) continue;
      await reportQuietly(witness, evidence.againstPrimary, signal);
      await reportQuietly(primary, evidence.againstWitness, signal);
      throw new LightClientAttackError(
        `${witness.name} holds a conflicting header at ${block.header.height} that verifies`,
        [evidence.againstPrimary, evidence.againstWitness],
      );
    }
  }

  /** A block from the primary; on failure from the next source, which becomes the primary. */
  async #fetch(height: number, signal?: AbortSignal): Promise<LightBlock> {
    const errors: string[] = [];
    for (let i = 0; i < this.#sources.length; i++) {
      const source = this.#sources[i]!;
      try {
        const block = await this.#fetchFrom(source, height, signal);
        if (i > 0) this.#sources = [source, ...this.#sources.filter((s) => s !== source)];
        return block;
      } catch (err) {
        if (signal?.aborted) throw err;
        if (err instanceof CodedError && err.module === LIGHT_MODULE) throw err;
        errors.push(`${source.name}: ${(err as Error).message}`);
      }
    }
    throw lightError('noSource', `no source has block ${height} (${errors.join('; ')})`);
  }

  async #fetchFrom(source: LightBlockSource, height: number, signal?: AbortSignal): Promise<LightBlock> {
    const deadline = AbortSignal.timeout(this.#o.requestTimeoutMs ?? 10_000);
    const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const block = await source.lightBlock(height, combined);
    if (height !== 0 && block.header.height !== height) {
      throw lightError('invalidLightBlock', `${source.name} answered ${block.header.height} for ${height}`);
    }
    return block;
  }
}

async function reportQuietly(
  source: LightBlockSource,
  evidence: LightClientAttackEvidence,
  signal?: AbortSignal,
): Promise<void> {
  if (!source.submitEvidence) return;
  try {
    await source.submitEvidence(encodeLightAttack(evidence), signal ?? AbortSignal.timeout(10_000));
  } catch {
    // Reporting is best effort: the refusal to the caller is what protects it.
  }
}

function toVerified(b: LightBlock): VerifiedHeader {
  return {
    height: b.header.height,
    hash: blockHash(b.header),
    appHash: b.header.appHash,
    time: b.header.time,
    header: b.header,
    validators: b.validators,
  };
}
