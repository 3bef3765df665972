/**
 * One in-process validator on a fresh one-node localnet, with the clients the node tests talk to it
 * through: our gRPC client on its internal socket and the official client's NodeInternal over gRPC-web.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as oasis from '@oasisprotocol/client';
import { NodeClient } from '../../src/api/grpc_client.ts';
import type { LocalnetManifest } from '../../src/localnet/manifest.ts';
import { prepareLocalnet } from '../../src/localnet/prepare.ts';
import { loadConfig } from '../../src/node/config.ts';
import { Node } from '../../src/node/node.ts';

/** The running node and its clients; `stop` closes them and removes the data. */
export interface OneNode {
  net: LocalnetManifest;
  node: Node;
  socket: NodeClient;
  nic: oasis.client.NodeInternal;
  stop(): Promise<void>;
}

/** Starts the node (100 ms blocks, 5-block epochs) and waits, at most 60 s, until it reached `minHeight`. */
export async function startOneNode(dirPrefix: string, minHeight: number): Promise<OneNode> {
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  const net = await prepareLocalnet({ dir, validators: 1, timeoutCommitMs: 100, epochInterval: 5 });
  const node = await Node.start(loadConfig(net.nodes[0]!.config));
  const socket = new NodeClient(`unix:${net.nodes[0]!.internal_socket}`);
  const nic = new oasis.client.NodeInternal(node.grpcWebUrl()!);
  const stop = async () => {
    socket.close();
    await node.stop();
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 60_000;
  while (node.view.latestHeight() < minHeight) {
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`node did not reach height ${minHeight}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { net, node, socket, nic, stop };
}
