/**
 * A small but real replicated state machine for the simulator: a key-value store whose transactions are
 * `key=value` strings, plus `val:<hex key>=<power>` transactions that change the validator set (so the
 * H+2 update path runs under faults). Misbehaviour from committed evidence is recorded as `slash:` entries. The app hash commits to the height and every entry, so any
 * divergence in execution shows up as a hash mismatch in the next header.
 *
 * Durability is modelled like a disk: `KvAppDisk` holds the last committed state and survives a simulated
 * crash; an `KvApp` handle holds the uncommitted block state that a crash loses.
 */
import { fromHex, toHex } from '../../codec/bytes.ts';
import { encodeCanonical } from '../../codec/cbor.ts';
import { sha512_256 } from '../../crypto/hash.ts';
import type {
  AppInfo,
  Application,
  CheckTxResponse,
  FinalizeBlockRequest,
  FinalizeBlockResponse,
  InitChainRequest,
  InitChainResponse,
  PrepareProposalRequest,
  ProcessProposalRequest,
  ValidatorUpdate,
} from '../api/application.ts';

const KV_TX = /^([a-z0-9]{1,16})=([ -~]{0,64})$/;
const VAL_TX = /^val:([0-9a-f]{64})=([0-9]{1,6})$/;

/** What survives a crash: the committed state. */
export interface KvAppDisk {
  height: number;
  appHash: Uint8Array;
  entries: Map<string, string>;
}

/** A fresh, empty disk. */
export function emptyKvDisk(): KvAppDisk {
  return { height: 0, appHash: stateHash(0, new Map()), entries: new Map() };
}

/** True when `tx` is a well-formed transaction of this app. */
export function isValidKvTx(tx: Uint8Array): boolean {
  const s = Buffer.from(tx).toString('latin1');
  return KV_TX.test(s) || VAL_TX.test(s);
}

function stateHash(height: number, entries: Map<string, string>): Uint8Array {
  const sorted = [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha512_256(encodeCanonical([height, sorted]));
}

/** The key-value application. */
export class KvApp implements Application {
  readonly #disk: KvAppDisk;
  readonly #genesis: ValidatorUpdate[];
  #pending: KvAppDisk | null = null;

  constructor(disk: KvAppDisk, genesisValidators: ValidatorUpdate[]) {
    this.#disk = disk;
    this.#genesis = genesisValidators;
  }

  async info(): Promise<AppInfo> {
    return { lastHeight: this.#disk.height, lastAppHash: this.#disk.appHash };
  }

  async initChain(_req: InitChainRequest): Promise<InitChainResponse> {
    return { validators: this.#genesis, appHash: this.#disk.appHash };
  }

  async checkTx(tx: Uint8Array): Promise<CheckTxResponse> {
    return isValidKvTx(tx)
      ? { priority: 0n, gasWanted: 0n }
      : { priority: 0n, gasWanted: 0n, error: { module: 'kv', code: 1, message: 'malformed tx' } };
  }

  async prepareProposal(req: PrepareProposalRequest): Promise<Uint8Array[]> {
    const out: Uint8Array[] = [];
    let bytes = 0;
    for (const tx of req.txs) {
      if (!isValidKvTx(tx) || bytes + tx.length > req.maxTxBytes) continue;
      bytes += tx.length;
      out.push(tx);
    }
    return out;
  }

  async processProposal(req: ProcessProposalRequest): Promise<boolean> {
    return req.txs.every(isValidKvTx);
  }

  async finalizeBlock(req: FinalizeBlockRequest): Promise<FinalizeBlockResponse> {
    if (req.height !== this.#disk.height + 1 && this.#disk.height !== 0) {
      throw new Error(`kv app at ${this.#disk.height} cannot execute height ${req.height}`);
    }
    const entries = new Map(this.#disk.entries);
    const updates = new Map<string, bigint>();
    for (const tx of req.txs) {
      const s = Buffer.from(tx).toString('latin1');
      const kv = KV_TX.exec(s);
      if (kv !== null) entries.set(kv[1]!, kv[2]!);
      const val = VAL_TX.exec(s);
      if (val !== null) updates.set(val[1]!, BigInt(val[2]!));
    }
    // Proven equivocation: record the offence (a real app would slash).
    for (const m of req.misbehavior)
      entries.set(`slash:${toHex(m.publicKey).slice(0, 16)}`, String(m.height));
    entries.set('_height', String(req.height));
    const appHash = stateHash(req.height, entries);
    this.#pending = { height: req.height, appHash, entries };
    const validatorUpdates = [...updates]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, power]) => ({ publicKey: fromHex(key), power }));
    return {
      txResults: req.txs.map(() => ({ events: [], gasUsed: 0n })),
      events: [],
      validatorUpdates,
      appHash,
    };
  }

  async commit(): Promise<void> {
    if (this.#pending === null) return;
    this.#disk.height = this.#pending.height;
    this.#disk.appHash = this.#pending.appHash;
    this.#disk.entries = this.#pending.entries;
    this.#pending = null;
  }

  /** Value of `key` in the committed state (for tests). */
  get(key: string): string | undefined {
    return this.#disk.entries.get(key);
  }
}

/** Hex of a validator key as a `val:` transaction expects it. */
export function validatorTx(publicKey: Uint8Array, power: bigint): Uint8Array {
  return Buffer.from(`val:${toHex(publicKey)}=${power}`, 'latin1');
}
