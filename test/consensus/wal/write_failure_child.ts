/**
 * Child process of the write-failure test: run under a file-size limit, it syncs 1000-byte records into
 * the WAL at argv[2] until the disk refuses, and reports what the log said.
 */
import { FileWal } from '../../../src/consensus/wal/file_wal.ts';
import { CodedError } from '../../../src/errors.ts';

const wal = await FileWal.open(process.argv[2]!, { warn: () => {} });
await wal.endHeight(1);
let synced = 0;
const codes: number[] = [];
for (let i = 0; i < 100 && codes.length === 0; i++) {
  try {
    await wal.writeSync(new Uint8Array(1000).fill(i));
    synced++;
  } catch (err) {
    codes.push(err instanceof CodedError ? err.code : -1);
  }
}
try {
  wal.write(new Uint8Array(1));
} catch (err) {
  codes.push(err instanceof CodedError ? err.code : -1);
}
process.stdout.write(JSON.stringify({ synced, codes }));
