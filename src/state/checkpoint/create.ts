/**
 * Writing one checkpoint: the chunks of a kept state version, each written and digested in turn (yielding
 * to the event loop between chunks so that a node keeps serving while it checkpoints), then the manifest,
 * published atomically. Shared by the consensus checkpointer and the runtime checkpoints.
 */
import { checkpointChunks, chunkDigest, type RangeProver } from './chunks.ts';
import type { CheckpointFiles } from './files.ts';
import type { Manifest } from './manifest.ts';

/** What a written checkpoint amounts to. */
export interface CreatedCheckpoint {
  manifest: Manifest;
  bytes: number;
  ms: number;
}

/**
 * Writes the checkpoint of `version` of `state` into `files` with chunks of about `chunkSize` bytes;
 * resolves undefined (nothing published) when `stopped()` turns true between chunks.
 */
export async function writeCheckpoint(
  files: CheckpointFiles,
  state: RangeProver,
  version: number,
  chunkSize: number,
  stopped: () => boolean = () => false,
): Promise<CreatedCheckpoint | undefined> {
  const started = Date.now();
  const writer = files.begin(version);
  const digests: Uint8Array[] = [];
  let bytes = 0;
  try {
    for (const chunk of checkpointChunks(state, version, chunkSize)) {
      writer.addChunk(chunk);
      digests.push(chunkDigest(chunk));
      bytes += chunk.length;
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stopped()) {
        writer.abort();
        return undefined;
      }
    }
    const manifest = { version, root: state.rootHash(version), chunks: digests };
    writer.commit(manifest);
    return { manifest, bytes, ms: Date.now() - started };
  } catch (err) {
    writer.abort();
    throw err;
  }
}
