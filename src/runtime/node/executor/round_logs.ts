/**
 * A round's write logs, served to peers and fetched from them (oasis-core's storage `GetDiff` for a
 * round's state and IO roots, in one answer): a node that did not execute a finalized round — a client
 * node, a backup with no discrepancy to resolve — applies the state write log on top of the previous
 * round's state and reads the round's transactions, results and events from the IO write log, each
 * checked against the roots the consensus layer finalized, instead of executing the batch itself.
 *
 * Wire: request CBOR `{round, state_root, io_root}` (the finalized header's), answer
 * `{state_write_log, io_write_log}`; a node answers only for an execution whose roots are those, so the
 * requester's check decides, never the answering peer.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { toHex } from '../../../codec/bytes.ts';
import { decodeCanonical, encodeCanonical } from '../../../codec/cbor.ts';
import { arrayOf, bytes, struct, u64 } from '../../../codec/schema.ts';
import { CodedError } from '../../../errors.ts';
import type { PeerKey } from '../../../p2p/api.ts';
import { type WriteLogEntry, writeLogEntry } from '../../protocol/types.ts';

/** Which round's logs, named by the roots its finalized header carries. */
export interface RoundLogsRequest {
  round: bigint;
  state_root: Uint8Array;
  io_root: Uint8Array;
}

/** A round's write logs. */
export interface RoundLogs {
  state_write_log: WriteLogEntry[];
  io_write_log: WriteLogEntry[];
}

const requestDecoder = struct({ round: u64, state_root: bytes(32), io_root: bytes(32) });
const logsDecoder = struct({
  state_write_log: arrayOf(writeLogEntry),
  io_write_log: arrayOf(writeLogEntry),
});

/** Encodes a request. */
export function encodeRoundLogsRequest(r: RoundLogsRequest): Uint8Array {
  return encodeCanonical({ round: r.round, state_root: r.state_root, io_root: r.io_root });
}

/** Executions whose logs a node keeps to serve (the newest). */
export const KEPT_ROUND_LOGS = 16;

/** Error code of a refused round-logs request (module `runtime/round-logs`). */
export const ROUND_LOGS_NOT_KEPT = 1;

const keyOf = (r: RoundLogsRequest) => `${r.round}/${toHex(r.state_root)}/${toHex(r.io_root)}`;

/** The logs of this node's newest executions (and followed rounds), by round and resulting roots. */
export class RoundLogCache {
  readonly #kept = new Map<string, RoundLogs>();
  readonly #max: number;

  constructor(max = KEPT_ROUND_LOGS) {
    this.#max = max;
  }

  /** Keeps the logs of an execution of `at.round` that yielded `at`'s roots. */
  add(at: RoundLogsRequest, logs: RoundLogs): void {
    const key = keyOf(at);
    this.#kept.delete(key);
    this.#kept.set(key, logs);
    if (this.#kept.size > this.#max) this.#kept.delete(this.#kept.keys().next().value!);
  }

  /** Answers an encoded request (a coded error when these logs are not kept here). */
  answer(request: Uint8Array): Uint8Array {
    const logs = this.#kept.get(keyOf(requestDecoder(decodeCanonical(request), 'request')));
    if (logs === undefined)
      throw new CodedError('runtime/round-logs', ROUND_LOGS_NOT_KEPT, 'round logs not kept here');
    return encodeCanonical({ state_write_log: logs.state_write_log, io_write_log: logs.io_write_log });
  }
}

/** How a fetch reaches peers. */
export interface RoundLogsTransport {
  peers(): PeerKey[];
  request(peer: PeerKey, data: Uint8Array): Promise<Uint8Array>;
  penalize(peer: PeerKey, reason: string): void;
}

/** How long a fetch keeps asking, and the pause between passes over the peers. */
export const ROUND_LOGS_DEADLINE_MS = 3_000;
const PASS_PAUSE_MS = 50;

/**
 * Fetches `req`'s logs: asks the peers one at a time (the last one that answered first), each answer
 * decoded and handed to `accept`, which checks it against the finalized roots (and adopts it); a peer
 * whose answer fails the check is penalised. Passes repeat, briefly paused, until `deadlineMs` (members
 * may not have finished executing yet). Undefined when no peer's answer was accepted in time.
 */
export class RoundLogsFetcher {
  readonly #t: RoundLogsTransport;
  #lastGood: PeerKey | undefined;

  constructor(transport: RoundLogsTransport) {
    this.#t = transport;
  }

  async fetch(
    req: RoundLogsRequest,
    accept: (logs: RoundLogs) => Promise<boolean>,
    deadlineMs = ROUND_LOGS_DEADLINE_MS,
  ): Promise<RoundLogs | undefined> {
    const until = Date.now() + deadlineMs;
    const data = encodeRoundLogsRequest(req);
    while (Date.now() < until) {
      const last = this.#lastGood;
      const peers = this.#t.peers();
      const ordered =
        last !== undefined && peers.includes(last) ? [last, ...peers.filter((p) => p !== last)] : peers;
      for (const peer of ordered) {
        const left = until - Date.now();
        if (left <= 0) break;
        let answer: Uint8Array;
        try {
          answer = await withDeadline(this.#t.request(peer, data), left);
        } catch {
          continue; // not kept there (yet), not serving the runtime, or slow
        }
        let logs: RoundLogs;
        try {
          logs = logsDecoder(decodeCanonical(answer), 'round logs');
        } catch (err) {
          this.#t.penalize(peer, `malformed round logs: ${(err as Error).message}`);
          continue;
        }
        if (await accept(logs)) {
          this.#lastGood = peer;
          return logs;
        }
        this.#t.penalize(peer, `round ${req.round} logs do not yield the finalized roots`);
      }
      await sleep(Math.min(PASS_PAUSE_MS, Math.max(0, until - Date.now())));
    }
    return undefined;
  }
}

function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('round logs request timed out')), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
