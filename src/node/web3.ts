/**
 * Wiring of the Ethereum JSON-RPC endpoint (config `web3`): the hosted EVM ParaTime it serves, that
 * runtime's Ethereum index in the node's data directory (kept up to date from the runtime history, and
 * resumed after a restart), and the HTTP/WebSocket server over both.
 */
import { join } from 'node:path';
import type { Logger } from 'pino';
import { DEFAULT_WEB3_LIMITS, Web3Server } from '../api/web3/server.ts';
import { fromHex } from '../codec/bytes.ts';
import type { RuntimeClientBackend } from '../runtime/node/client/api.ts';
import type { EthIndexReader } from '../runtime/node/client/eth_index.ts';
import { EthIndexer } from '../runtime/node/eth_index/indexer.ts';
import { RoundConverter } from '../runtime/node/eth_index/round_block.ts';
import { EthIndexStore } from '../runtime/node/eth_index/store.ts';
import { paraTime } from '../runtime/process/paratimes/catalog.ts';
import { ConfigError, type NodeConfig } from './config.ts';

/** A running endpoint. */
export interface Web3Endpoint {
  /** Its `http://` URL (the WebSocket URL is the same with `ws://`). */
  url: string;
  /** The served runtime (hex) and its Ethereum index, which the dashboard reads too. */
  runtimeId: string;
  index: EthIndexReader;
  stop(): Promise<void>;
}

/** Starts the endpoint `config.web3` asks for (none when absent); a runtime it cannot serve is a config error. */
export async function startWeb3(
  config: NodeConfig,
  runtimes: RuntimeClientBackend,
  log: Logger,
): Promise<Web3Endpoint | undefined> {
  const web3 = config.web3;
  if (web3 === undefined) return undefined;
  const rt = config.runtimes.find((r) => r.id === web3.runtime_id);
  if (rt === undefined) throw new ConfigError(`web3.runtime_id: ${web3.runtime_id} is not in runtimes`);
  const kind = paraTime(rt.paratime);
  if (kind.ethereum === undefined)
    throw new ConfigError(
      `web3.runtime_id: runtime ${web3.runtime_id} is a ${rt.paratime} ParaTime, not an EVM one`,
    );
  const { chainId, maxBatchGas } = kind.ethereum(kind.localConfig(rt.config, `runtimes[${rt.id}].config`));
  const runtimeId = fromHex(rt.id);
  const wlog = log.child({ module: 'web3' });
  const store = EthIndexStore.open(join(config.common.data_dir, 'runtimes', rt.id.slice(0, 16), 'eth_index'));
  const indexer = new EthIndexer({
    runtimeId,
    runtimes,
    store,
    converter: new RoundConverter(chainId, maxBatchGas),
    warn: (message, fields) => wlog.warn(fields, message),
  });
  indexer.start();
  const server = new Web3Server(
    { runtimeId, chainId, runtimes, index: store },
    DEFAULT_WEB3_LIMITS,
    (method, err) => wlog.warn({ method, err: (err as Error).message }, 'JSON-RPC method failed'),
  );
  const [host, port] = web3.listen_address.split(':') as [string, string];
  let url: string;
  try {
    url = await server.listen(Number(port), host);
  } catch (err) {
    await indexer.stop();
    await store.close();
    throw err;
  }
  wlog.info({ url, chainId: chainId.toString() }, 'Ethereum JSON-RPC served');
  return {
    url,
    runtimeId: rt.id,
    index: store,
    stop: async () => {
      await server.close();
      await indexer.stop();
      await store.close();
    },
  };
}
