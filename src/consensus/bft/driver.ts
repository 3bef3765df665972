/**
 * The host around the consensus engine: it verifies and logs inputs, asks the application for validity and
 * blocks, signs through the double-sign guard, sends through a transport, keeps time through a clock and
 * persists decided blocks. It is transport- and clock-agnostic, so the node (libp2p, wall clock) and the
 * simulator (in-memory network, virtual clock) run the very same code.
 *
 * Crash discipline (CometBFT's, see reference §A.8.7): every input is written to the WAL before it is
 * processed; an own signed message is written with `writeSync` (which makes the inputs before it durable
 * too) before it is sent; block H and the state after it are stored and flushed (one sync) before the
 * application commits, and the `endHeight(H)` marker is written after that (synced with the next own
 * message; a crash that loses it leaves the store ahead of the WAL, which recovery repairs). A restart replays the stored blocks the
 * application lacks, then the WAL records of the unfinished height through the deterministic engine,
 * re-using the logged own messages instead of signing new ones.
 *
 * All processing is serialised on one queue, so the engine sees one input at a time.
 */
import { fromHex, toHex } from '../../codec/bytes.ts';
import type { Application } from '../api/application.ts';
import { type Block, blockHash } from '../api/block.ts';
import { buildCommit, type Commit, verifyCommit } from '../api/commit.ts';
import type { ConsensusWal, DoubleSignGuard } from '../api/durability.ts';
import { MessageType, type Vote, verifyProposal, verifyVote } from '../api/vote.ts';
import { voteTimestamp } from './bft_time.ts';
import type { BlockStore } from './block_store.ts';
import type { ChainState } from './chain_state.ts';
import type { EngineOutput, TimeoutParams } from './engine/types.ts';
import { CatchupLimiter, regossipMessages, StallDetector } from './gossip.ts';
import { HeightContext, votePosition } from './height_context.ts';
import type { Clock, ConsensusTransport, DriverLogger, EvidenceHandler, Mempool } from './host.ts';
import type { ConsensusMessage } from './messages.ts';
import { OwnMessageSigner, sameBlock } from './own_signer.ts';
import { blockStructureProblem, buildProposalBlock, expectedBlockTime, voteInfos } from './proposal_block.ts';
import { executeBlock, recoverChainState } from './recovery.ts';
import { decodeWalRecord, encodeWalRecord, type WalRecord } from './wal_records.ts';

/** Chain and timing parameters of the driver. */
export interface DriverConfig {
  chainId: string;
  initialHeight: number;
  /** Genesis time, unix milliseconds. */
  genesisTime: number;
  timeouts: TimeoutParams;
  /** Wait after a decision before starting the next height (collects late precommits, paces blocks). */
  timeoutCommitMs: number;
  /** How often to re-send our status, and the current height's messages when it stalled that long (gossip property). */
  gossipIntervalMs: number;
  /** Transaction byte budget of a block. */
  maxTxBytes: number;
  /** Evidence byte budget of a block (default 50 KiB, as Oasis). */
  maxEvidenceBytes?: number;
  /** DoS bound on buffered messages for the next height. */
  maxFutureMessages?: number;
}

/** Components the driver is wired to. */
export interface DriverDeps {
  app: Application;
  wal: ConsensusWal;
  /** Signs for us; null for a node that follows without voting. */
  guard: DoubleSignGuard | null;
  transport: ConsensusTransport;
  clock: Clock;
  store: BlockStore;
  mempool?: Mempool;
  /** Duplicate-vote evidence (pool); without it blocks carry no evidence and refuse any. */
  evidence?: EvidenceHandler;
  logger?: DriverLogger;
  /** Two conflicting signed votes by one validator (material for duplicate-vote evidence). */
  onEquivocation?: (first: Vote, second: Vote) => void;
  /** A block was decided and applied. */
  onCommit?: (block: Block, hash: Uint8Array, commit: Commit) => void;
  /**
   * True when the node must not take part in `height` (it stops there for an upgrade): the driver stays
   * at the decided height before it, still regossiping its votes and answering peers that catch up.
   */
  haltBefore?: (height: number) => boolean;
}

/**
 * How often a node behind its peers asks again for the block of its height (the answer or the question
 * may be lost); peers answer a (peer, height) once per gossip interval anyway.
 */
const CATCHUP_ASK_INTERVAL_MS = 250;
/** How long an undecided node waits for what it misses once a peer is seen at the next height. */
const CATCHUP_ASK_DELAY_MS = 100;

class Halted extends Error {}

type Source = 'peer' | 'own' | 'replay';

/** The consensus driver of one node. */
export class ConsensusDriver {
  readonly #cfg: DriverConfig;
  readonly #d: DriverDeps;
  readonly #self: string | null;
  #state!: ChainState;
  #h: HeightContext | null = null;
  #queue: Promise<void> = Promise.resolve();
  #halted = false;
  readonly #cancels = new Set<() => void>();
  readonly #signer: OwnMessageSigner;
  #future: Array<{ from: string; message: ConsensusMessage }> = [];
  /** When (local clock) and for which height this node last asked a peer that is ahead for a block. */
  #catchupAsked = { height: -1, at: 0 };
  /** The height for which a delayed ask is scheduled (see `#peerAhead`). */
  #askScheduled = -1;
  readonly #catchup: CatchupLimiter;
  readonly #stall = new StallDetector();

  constructor(config: DriverConfig, deps: DriverDeps) {
    this.#cfg = config;
    this.#d = deps;
    this.#self = deps.guard === null ? null : toHex(deps.guard.publicKey);
    this.#signer = new OwnMessageSigner(deps.guard, deps.wal, () => this.#alive(), deps.logger);
    this.#catchup = new CatchupLimiter(config.gossipIntervalMs);
  }

  /** Height being decided. */
  get height(): number {
    return this.#h?.height ?? this.#state.lastBlockHeight + 1;
  }

  /** Chain state after the last applied block. */
  get chainState(): ChainState {
    return this.#state;
  }

  /** The engine of the height in progress (read-only use: inspection and tests). */
  get current(): HeightContext | null {
    return this.#h;
  }

  /** Recovers (handshake + WAL replay) and starts consensus. */
  start(): Promise<void> {
    return this.#enqueue(async () => {
      this.#state = await recoverChainState(this.#cfg, this.#d.app, this.#d.store, this.#d.wal, (ev) =>
        this.#misbehavior(ev),
      );
      await this.#replayWal();
      this.#scheduleGossip();
    });
  }

  /** Hands a message from `from` to the driver. */
  deliver(from: string, message: ConsensusMessage): void {
    void this.#enqueue(() => this.#onMessage(from, message, 'peer'));
  }

  /** Resolves when everything queued so far has been processed. */
  async idle(): Promise<void> {
    let q: Promise<void>;
    do {
      q = this.#queue;
      await q;
    } while (q !== this.#queue);
  }

  /** Stops at once, as a crash would: no further effect (WAL, signing, sending, storing) takes place. */
  halt(): void {
    this.#halted = true;
    for (const cancel of this.#cancels) cancel();
    this.#cancels.clear();
  }

  #enqueue(task: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(() => (this.#halted ? undefined : task()));
    this.#queue = run.catch((err) => {
      if (err instanceof Halted || this.#halted) return;
      this.#d.logger?.warn('consensus task failed', { error: String(err) });
    });
    return run.catch((err) => {
      if (!(err instanceof Halted) && !this.#halted) throw err;
    });
  }

  #alive(): void {
    if (this.#halted) throw new Halted('halted');
  }

  #schedule(delayMs: number, task: () => Promise<void>): void {
    const cancel = this.#d.clock.schedule(delayMs, () => {
      this.#cancels.delete(cancel);
      void this.#enqueue(task);
    });
    this.#cancels.add(cancel);
  }

  #log(record: WalRecord, source: Source): void {
    if (source !== 'peer') return;
    this.#alive();
    this.#d.wal.write(encodeWalRecord(record));
  }

  // --- restart ------------------------------------------------------------------------------------------

  async #replayWal(): Promise<void> {
    const { records } = await this.#d.wal.readAfterEndHeight(this.#state.lastBlockHeight);
    const decoded = records.map(decodeWalRecord);
    for (const r of decoded) if (r.kind === 'own') this.#signer.remember(r.message);
    await this.#enterHeight(this.#state.lastBlockHeight + 1);
    for (const r of decoded) {
      if (r.kind === 'peer') await this.#onMessage(r.from, r.message, 'replay');
      else if (r.kind === 'timeout') await this.#onTimeout(r.height, r.round, r.step, 'replay');
      else await this.#replayUnusedOwn(r.message);
    }
    this.#signer.endReplay();
  }

  /** An own message the replayed engine did not produce again (inputs were lost): honour it anyway. */
  async #replayUnusedOwn(message: ConsensusMessage): Promise<void> {
    if (!this.#signer.takeUnused(message)) return;
    this.#d.transport.broadcast(message);
    await this.#onMessage('self', message, 'replay');
  }

  // --- heights ------------------------------------------------------------------------------------------

  async #enterHeight(height: number): Promise<void> {
    this.#alive();
    if (this.#d.haltBefore?.(height)) {
      this.#d.logger?.warn('not entering height: the node stops before it', { height });
      return;
    }
    const lastCommit = height > this.#cfg.initialHeight ? (this.#d.store.commit(height - 1) ?? null) : null;
    this.#h = new HeightContext(height, this.#state.validators, lastCommit, this.#self, this.#cfg.timeouts);
    await this.#handle(this.#h.engine.start());
    const pending = this.#future;
    this.#future = [];
    for (const m of pending) await this.#onMessage(m.from, m.message, 'peer');
  }

  async #onMessage(from: string, message: ConsensusMessage, source: Source): Promise<void> {
    const ctx = this.#h;
    if (ctx === null) return;
    if (message.kind === 'status') {
      if (message.height < ctx.height) this.#sendCatchup(from, message.height);
      return;
    }
    const height =
      message.kind === 'proposal'
        ? message.proposal.height
        : message.kind === 'vote'
          ? message.vote.height
          : message.commit.height;
    if (height < ctx.height) {
      if (message.kind !== 'commit') this.#sendCatchup(from, height);
      return;
    }
    if (height > ctx.height) {
      if (height === ctx.height + 1 && this.#future.length < (this.#cfg.maxFutureMessages ?? 10_000)) {
        this.#future.push({ from, message });
      }
      if (await this.#peerAhead(ctx, from, height)) await this.#onMessage(from, message, source);
      return;
    }
    if (message.kind === 'proposal') await this.#onProposal(ctx, from, message, source);
    else if (message.kind === 'vote') await this.#onVote(ctx, from, message.vote, source);
    else await this.#onCommitMessage(ctx, from, message, source);
  }

  async #onProposal(
    ctx: HeightContext,
    from: string,
    message: Extract<ConsensusMessage, { kind: 'proposal' }>,
    source: Source,
  ): Promise<void> {
    const { proposal, block } = message;
    const seen = ctx.proposals.get(proposal.round);
    if (seen !== undefined && toHex(seen.proposal.signature) === toHex(proposal.signature)) return;
    const sender = toHex(proposal.proposer);
    if (!ctx.engine.admits(proposal.round, sender) || ctx.engine.proposerOf(proposal.round) !== sender)
      return;
    if (proposal.polRound >= proposal.round) return;
    const hash = blockHash(block.header);
    if (toHex(hash) !== toHex(proposal.blockHash)) return;
    if (source !== 'own' && !verifyProposal(proposal, this.#cfg.chainId)) return;
    this.#log({ kind: 'peer', from, message }, source);
    const value = toHex(hash);
    ctx.blocks.set(value, block);
    if (seen === undefined) ctx.proposals.set(proposal.round, message);
    const valid = await this.#validity(ctx, value, block, hash);
    await this.#handle(
      ctx.engine.apply({
        kind: 'proposal',
        round: proposal.round,
        value,
        polRound: proposal.polRound,
        sender,
        valid,
      }),
    );
  }

  async #validity(ctx: HeightContext, value: string, block: Block, hash: Uint8Array): Promise<boolean> {
    const cached = ctx.validity.get(value);
    if (cached !== undefined) return cached;
    const problem = this.#structureProblem(block);
    let valid = problem === null;
    if (valid) {
      this.#alive();
      valid = await this.#d.app.processProposal({
        ...this.#blockContext(block),
        txs: block.txs,
        hash,
      });
    } else {
      this.#d.logger?.warn('invalid proposed block', { height: ctx.height, problem });
    }
    ctx.validity.set(value, valid);
    return valid;
  }

  #structureProblem(block: Block): string | null {
    const evidence = this.#d.evidence;
    return blockStructureProblem(
      block,
      this.#state,
      evidence === undefined ? undefined : (ev) => evidence.problem(ev),
    );
  }

  #misbehavior(evidence: Uint8Array[]) {
    return evidence.length === 0 || this.#d.evidence === undefined
      ? []
      : this.#d.evidence.misbehavior(evidence);
  }

  #blockContext(block: Block) {
    return {
      height: block.header.height,
      time: Math.floor(block.header.time / 1000),
      proposer: block.header.proposer,
      lastCommit: voteInfos(block.lastCommit, this.#state.lastValidators),
      misbehavior: this.#misbehavior(block.evidence),
    };
  }

  async #onVote(ctx: HeightContext, from: string, vote: Vote, source: Source): Promise<void> {
    const validator = toHex(vote.validator);
    if (ctx.validators.powerOf(validator) === 0n || !ctx.engine.admits(vote.round, validator)) return;
    const position = votePosition(vote);
    const first = ctx.votes.get(position);
    let extraKey: string | null = null;
    let relevant = true;
    if (first !== undefined) {
      if (sameBlock(first.blockHash, vote.blockHash)) return;
      extraKey = `${position}/${vote.blockHash === null ? 'nil' : toHex(vote.blockHash)}`;
      // Only nil and proposed blocks can matter to the engine; other conflicting votes are reported once.
      relevant = vote.blockHash === null || ctx.blocks.has(toHex(vote.blockHash));
      if (ctx.extraVotes.has(extraKey) || (!relevant && ctx.reportedEquivocations.has(position))) return;
    }
    if (source !== 'own' && !verifyVote(vote, this.#cfg.chainId)) return;
    if (first !== undefined && extraKey !== null) {
      this.#d.onEquivocation?.(first, vote);
      this.#d.evidence?.conflictingVotes(first, vote);
      if (!relevant) {
        ctx.reportedEquivocations.add(position);
        return;
      }
      ctx.extraVotes.set(extraKey, vote);
    } else {
      ctx.votes.set(position, vote);
    }
    this.#log({ kind: 'peer', from, message: { kind: 'vote', vote } }, source);
    await this.#handle(
      ctx.engine.apply({
        kind: 'vote',
        type: vote.type === MessageType.prevote ? 'prevote' : 'precommit',
        round: vote.round,
        value: vote.blockHash === null ? null : toHex(vote.blockHash),
        sender: validator,
      }),
    );
  }

  /** A peer's decided block with its commit: adopt it if the commit verifies (we missed the decision). */
  async #onCommitMessage(
    ctx: HeightContext,
    from: string,
    message: Extract<ConsensusMessage, { kind: 'commit' }>,
    source: Source,
  ): Promise<void> {
    if (ctx.decided !== null) return;
    const hash = blockHash(message.block.header);
    if (this.#structureProblem(message.block) !== null) return;
    try {
      verifyCommit(message.commit, ctx.validators.validators, this.#cfg.chainId, ctx.height, hash);
    } catch {
      return;
    }
    this.#log({ kind: 'peer', from, message }, source);
    await this.#applyDecided(ctx, message.block, hash, message.commit, message.commit.round);
    await this.#enterHeight(ctx.height + 1);
    if (from !== 'self') this.#d.transport.send(from, { kind: 'status', height: ctx.height + 1 });
  }

  async #onTimeout(height: number, round: number, step: 'propose' | 'prevote' | 'precommit', source: Source) {
    const ctx = this.#h;
    if (ctx === null || ctx.height !== height || ctx.decided !== null) return;
    if (source !== 'replay') {
      this.#alive();
      this.#d.wal.write(encodeWalRecord({ kind: 'timeout', height, round, step }));
    }
    await this.#handle(ctx.engine.apply({ kind: 'timeout', step, round }));
  }

  // --- engine outputs -----------------------------------------------------------------------------------

  async #handle(outputs: EngineOutput[]): Promise<void> {
    const ctx = this.#h!;
    for (const o of outputs) {
      switch (o.kind) {
        case 'proposal':
          await this.#sendProposal(ctx, o.round, o.value, o.polRound);
          break;
        case 'vote':
          await this.#sendVote(ctx, o.type, o.round, o.value);
          break;
        case 'scheduleTimeout':
          this.#schedule(o.durationMs, () => this.#onTimeout(ctx.height, o.round, o.step, 'own'));
          break;
        case 'requestValue':
          await this.#proposeValue(ctx, o.round);
          break;
        case 'decide':
          await this.#decide(ctx, o.round, o.value);
          break;
        case 'conflictingProposal':
          this.#d.logger?.warn('conflicting proposals', {
            height: ctx.height,
            round: o.round,
            sender: o.sender,
          });
          break;
        case 'equivocation':
          break; // reported with both signed votes in #onVote
      }
    }
  }

  async #proposeValue(ctx: HeightContext, round: number): Promise<void> {
    let block = this.#signer.loggedFreshBlock(ctx.height, round);
    if (block === undefined) {
      const time = expectedBlockTime(this.#state, ctx.lastCommit);
      const evidence = this.#d.evidence?.pending(this.#cfg.maxEvidenceBytes ?? 50 * 1024) ?? [];
      this.#alive();
      const txs = await this.#d.app.prepareProposal({
        height: ctx.height,
        time: Math.floor(time / 1000),
        proposer: this.#signer.publicKey!,
        lastCommit: voteInfos(ctx.lastCommit, this.#state.lastValidators),
        misbehavior: this.#misbehavior(evidence),
        txs: this.#d.mempool?.reap(this.#cfg.maxTxBytes) ?? [],
        maxTxBytes: this.#cfg.maxTxBytes,
      });
      block = buildProposalBlock(this.#state, ctx.lastCommit, txs, this.#signer.publicKey!, evidence);
    }
    const value = toHex(blockHash(block.header));
    ctx.blocks.set(value, block);
    await this.#handle(ctx.engine.apply({ kind: 'proposeValue', round, value }));
  }

  async #sendProposal(ctx: HeightContext, round: number, value: string, polRound: number): Promise<void> {
    const block = ctx.blocks.get(value);
    if (block === undefined) return;
    const proposal = await this.#signer.proposal(
      {
        height: ctx.height,
        round,
        polRound,
        blockHash: blockHash(block.header),
        timestamp: voteTimestamp(this.#d.clock.now(), this.#state.lastBlockTime),
      },
      block,
    );
    if (proposal === null) return;
    this.#alive();
    const message: ConsensusMessage = { kind: 'proposal', proposal, block };
    this.#d.transport.broadcast(message);
    await this.#onProposal(ctx, 'self', message, 'own');
  }

  async #sendVote(ctx: HeightContext, type: 'prevote' | 'precommit', round: number, value: string | null) {
    const known = value === null ? undefined : ctx.blocks.get(value);
    const vote = await this.#signer.vote({
      type: type === 'prevote' ? MessageType.prevote : MessageType.precommit,
      height: ctx.height,
      round,
      blockHash: value === null ? null : known !== undefined ? blockHash(known.header) : fromHex(value),
      timestamp: voteTimestamp(this.#d.clock.now(), this.#state.lastBlockTime),
    });
    if (vote === null) return;
    this.#alive();
    this.#d.transport.broadcast({ kind: 'vote', vote });
    await this.#onVote(ctx, 'self', vote, 'own');
  }

  // --- decisions ----------------------------------------------------------------------------------------

  async #decide(ctx: HeightContext, round: number, value: string): Promise<void> {
    const block = ctx.blocks.get(value)!;
    const hash = blockHash(block.header);
    const commit = buildCommit(
      ctx.height,
      round,
      hash,
      ctx.validators.validators,
      ctx.precommitsOf(round, hash),
    );
    await this.#applyDecided(ctx, block, hash, commit, round);
    // timeout_commit gathers late precommits for the next proposer's lastCommit; a node that does not
    // validate the next height has no use for them and moves on at once, so it keeps up with the chain.
    const validating = this.#self !== null && this.#state.validators.powerOf(this.#self) > 0n;
    this.#schedule(validating ? this.#cfg.timeoutCommitMs : 0, () => this.#leaveDecided(ctx));
  }

  /** Ends timeout_commit of the decided `ctx` (unless already left): saves the fullest commit, enters the next height. */
  async #leaveDecided(ctx: HeightContext): Promise<void> {
    if (this.#h !== ctx || ctx.decided === null) return;
    const { round, hash } = ctx.decided;
    // Late precommits arrived during timeout_commit: keep the fullest commit for the next lastCommit.
    const fuller = buildCommit(
      ctx.height,
      round,
      hash,
      ctx.validators.validators,
      ctx.precommitsOf(round, hash),
    );
    this.#alive();
    await this.#d.store.saveCommit(fuller);
    await this.#enterHeight(ctx.height + 1);
  }

  /**
   * Peer `from` sent a message of `height`, beyond ours: it decided heights this node has not (or, at the
   * next height while ours is decided, it is merely done with timeout_commit first). A node in
   * timeout_commit that sees a height beyond the next leaves it (it is late already). An undecided node
   * asks that peer for the decided block of its height: at once when the peer is two heights ahead (the
   * messages of the height between were dropped), after `CATCHUP_ASK_DELAY_MS` when one ahead (what is
   * missing may still arrive) — instead of waiting for the gossip tick while the chain moves on. True
   * when the node entered a new height (the message is worth another look).
   */
  async #peerAhead(ctx: HeightContext, from: string, height: number): Promise<boolean> {
    if (from === 'self') return false;
    if (ctx.decided !== null) {
      if (height < ctx.height + 2) return false;
      await this.#leaveDecided(ctx);
      return this.#h !== ctx;
    }
    if (height >= ctx.height + 2) this.#askForBlock(ctx, from);
    else if (this.#askScheduled !== ctx.height) {
      this.#askScheduled = ctx.height;
      this.#schedule(CATCHUP_ASK_DELAY_MS, async () => {
        if (this.#h === ctx && ctx.decided === null) this.#askForBlock(ctx, from);
      });
    }
    return false;
  }

  /** Asks `from` for the decided block of `ctx`'s height (our status), at most every `CATCHUP_ASK_INTERVAL_MS`. */
  #askForBlock(ctx: HeightContext, from: string): void {
    const now = this.#d.clock.now();
    const asked = this.#catchupAsked;
    if (asked.height === ctx.height && now - asked.at < CATCHUP_ASK_INTERVAL_MS) return;
    this.#catchupAsked = { height: ctx.height, at: now };
    this.#d.transport.send(from, { kind: 'status', height: ctx.height });
  }

  async #applyDecided(ctx: HeightContext, block: Block, hash: Uint8Array, commit: Commit, round: number) {
    ctx.decided = { round, block, hash };
    // A height that needed more than one round lost a proposal or votes to a timeout: worth an operator's eye.
    if (round > 0) this.#d.logger?.info('height decided in a later round', { height: ctx.height, round });
    this.#alive();
    await this.#d.store.saveBlock(block, commit);
    if (block.lastCommit !== null) await this.#d.store.saveCommit(block.lastCommit);
    this.#alive();
    const next = await executeBlock(this.#d.app, this.#state, block, hash, this.#misbehavior(block.evidence));
    this.#alive();
    await this.#d.store.saveState(next);
    // One disk sync for the block, its commits, results and the state, before the application commits.
    await this.#d.store.flush();
    this.#alive();
    await this.#d.app.commit();
    this.#alive();
    // Not synced on its own: the next own message's sync carries it, and recovery re-writes a lost one.
    this.#d.wal.markEndHeight(ctx.height);
    this.#state = next;
    this.#d.evidence?.committed(block.evidence, ctx.height);
    this.#d.mempool?.update(block.txs);
    this.#d.onCommit?.(block, hash, commit);
  }

  // --- gossip -------------------------------------------------------------------------------------------

  /** Sends a node that is behind the block and commit of `height`, at most once per gossip interval. */
  #sendCatchup(peer: string, height: number): void {
    if (peer === 'self') return;
    const block = this.#d.store.block(height);
    const commit = this.#d.store.commit(height);
    if (block === undefined || commit === undefined) return;
    if (!this.#catchup.allow(peer, height, this.#d.clock.now())) return;
    this.#d.transport.send(peer, { kind: 'commit', block, commit });
  }

  #scheduleGossip(): void {
    this.#schedule(this.#cfg.gossipIntervalMs, async () => {
      if (this.#h !== null) {
        this.#alive();
        const statusOnly = !this.#stall.stalled(this.#h.height, this.#h.engine.round);
        for (const m of regossipMessages(this.#h, this.#self, statusOnly)) this.#d.transport.broadcast(m);
      }
      this.#scheduleGossip();
    });
  }
}
