/**
 * Every ParaTime this node hosts, by runtime ID: started and stopped together, fed each committed block,
 * and offered to the API as one `RuntimeClientBackend` (a runtime the node does not host answers with
 * `noHostedRuntime`).
 */
import { toHex } from '../../codec/bytes.ts';
import type { CborValue } from '../../codec/cbor.ts';
import type { StateReader } from '../../state/api.ts';
import type { RuntimeClientBackend } from './client/api.ts';
import { RuntimeClientErrors } from './client/api.ts';
import { HostedRuntime, type HostedRuntimeOptions, runtimeDirName } from './hosted_runtime.ts';

/** The node's hosted runtimes. */
export class HostedRuntimes implements RuntimeClientBackend {
  readonly #byId = new Map<string, HostedRuntime>();

  constructor(configs: HostedRuntimeOptions['config'][], common: Omit<HostedRuntimeOptions, 'config'>) {
    const dirs = new Map<string, string>();
    for (const config of configs) {
      if (this.#byId.has(config.id)) throw new Error(`runtimes: ${config.id} is listed twice`);
      const other = dirs.get(runtimeDirName(config.id));
      if (other !== undefined)
        throw new Error(
          `runtimes: ${config.id} and ${other} would share a data directory (same last 16 digits)`,
        );
      dirs.set(runtimeDirName(config.id), config.id);
      this.#byId.set(config.id, new HostedRuntime({ ...common, config }));
    }
  }

  /** Number of hosted runtimes. */
  get size(): number {
    return this.#byId.size;
  }

  /** Starts every runtime process. */
  async start(): Promise<void> {
    for (const r of this.#byId.values()) await r.start();
  }

  /** Starts every runtime process to serve the history of a stopped chain (archive mode; see `HostedRuntime`). */
  async startArchive(state: StateReader, height: number): Promise<void> {
    for (const r of this.#byId.values()) await r.startArchive(state, height);
  }

  /** Stops every runtime. */
  async stop(): Promise<void> {
    for (const r of this.#byId.values()) await r.stop().catch(() => undefined);
  }

  /** Feeds a committed consensus block to every runtime. */
  onConsensusCommit(state: StateReader, height: number): void {
    for (const r of this.#byId.values()) r.onConsensusCommit(state, height);
  }

  #get(id: Uint8Array): HostedRuntime {
    const r = this.#byId.get(toHex(id));
    if (r === undefined) throw RuntimeClientErrors.noHostedRuntime();
    return r;
  }

  hosts(id: Uint8Array): boolean {
    return this.#byId.has(toHex(id));
  }

  async submitTx(id: Uint8Array, tx: Uint8Array) {
    return (await this.#get(id).submitTx(tx, true))!;
  }

  async submitTxNoWait(id: Uint8Array, tx: Uint8Array): Promise<void> {
    await this.#get(id).submitTx(tx, false);
  }

  checkTx(id: Uint8Array, tx: Uint8Array): Promise<void> {
    return this.#get(id).checkTx(tx);
  }

  genesisBlock(id: Uint8Array) {
    return this.#get(id).genesisBlock();
  }

  block(id: Uint8Array, round: bigint) {
    return this.#get(id).block(round);
  }

  lastRetainedBlock(id: Uint8Array) {
    return this.#get(id).lastRetainedBlock();
  }

  transactions(id: Uint8Array, round: bigint) {
    return this.#get(id).transactions(round);
  }

  unconfirmedTransactions(id: Uint8Array): Uint8Array[] {
    return this.#get(id).unconfirmedTransactions();
  }

  pendingNonce(id: Uint8Array, sender: Uint8Array, stateNonce: bigint): bigint {
    return this.#get(id).pendingNonce(sender, stateNonce);
  }

  query(id: Uint8Array, round: bigint, method: string, args: CborValue): Promise<CborValue> {
    return this.#get(id).query(round, method, args);
  }

  watchBlocks(id: Uint8Array, onBlock: Parameters<RuntimeClientBackend['watchBlocks']>[1]): () => void {
    return this.#get(id).watchBlocks(onBlock);
  }
}
