/** Every fuzz target, by corpus name: the decoders reachable from outside the node. */
import type { FuzzTarget } from '../harness.ts';
import { grpcWeb, jsonRpcRequest } from './api.ts';
import { configFile, genesisCbor, genesisJson, keyFiles } from './files.ts';
import { consensusMessage, p2pFrame, txBatch } from './p2p.ts';
import { rhpMessage, rhpStream } from './runtime_host.ts';
import { methodBody, txEnvelope, txPayload } from './transactions.ts';

/** All targets, in the order `npm run fuzz` runs them. */
export const TARGETS: readonly FuzzTarget[] = [
  txEnvelope,
  txPayload,
  methodBody,
  consensusMessage,
  txBatch,
  p2pFrame,
  rhpMessage,
  rhpStream,
  grpcWeb,
  jsonRpcRequest,
  genesisJson,
  genesisCbor,
  configFile,
  keyFiles,
];

/** The target called `name`; throws listing the names when there is none. */
export function targetNamed(name: string): FuzzTarget {
  const t = TARGETS.find((x) => x.name === name);
  if (t === undefined)
    throw new Error(`no fuzz target ${name} (have: ${TARGETS.map((x) => x.name).join(', ')})`);
  return t;
}
