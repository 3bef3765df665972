/**
 * oasis-node's process metrics (`oasis_node_cpu_*`, `oasis_node_mem_*`, `oasis_node_disk_*`), read from
 * /proc and the data directory when Prometheus scrapes, so they cost nothing between scrapes. Where /proc
 * is missing (not Linux) the gauges stay at 0.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Gauge, type Registry } from 'prom-client';

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on every Linux Node supports). */
const USER_HZ = 100;
/** Stop walking the data directory after this many entries, so a scrape never stalls on a huge tree. */
const MAX_DISK_ENTRIES = 200_000;

function readProc(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** `utime` and `stime` in seconds from /proc/self/stat (fields 14 and 15; the name may hold spaces). */
export function cpuTimes(stat: string): { user: number; system: number } | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const user = Number(fields[11]);
  const system = Number(fields[12]);
  if (!Number.isFinite(user) || !Number.isFinite(system)) return undefined;
  return { user: user / USER_HZ, system: system / USER_HZ };
}

/** A `Key: N kB` line of /proc/self/status, in bytes. */
export function statusBytes(status: string, key: string): number | undefined {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : undefined;
}

/** A `key: N` line of /proc/self/io. */
function ioCount(io: string, key: string): number | undefined {
  const m = new RegExp(`^${key}: (\\d+)$`, 'm').exec(io);
  return m ? Number(m[1]) : undefined;
}

/** Bytes of the files under `dir` (bounded walk; symlinks not followed). */
export function directoryBytes(dir: string): number {
  let total = 0;
  let seen = 0;
  const pending = [dir];
  while (pending.length > 0 && seen < MAX_DISK_ENTRIES) {
    const current = pending.pop()!;
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const e of entries) {
      seen++;
      const path = join(current, e.name);
      if (e.isDirectory()) pending.push(path);
      else if (e.isFile()) {
        try {
          total += statSync(path).size;
        } catch {
          // Removed while walking.
        }
      }
    }
  }
  return total;
}

/** Registers the process gauges; `dataDir` is measured for `oasis_node_disk_usage_bytes`. */
export function registerProcessMetrics(registry: Registry, dataDir: string | undefined): void {
  const gauge = (name: string, help: string, read: () => number | undefined) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const value = read();
        if (value !== undefined) this.set(value);
      },
    });
  const stat = () => cpuTimes(readProc('/proc/self/stat') ?? '');
  const status = (key: string) => statusBytes(readProc('/proc/self/status') ?? '', key);
  const io = (key: string) => ioCount(readProc('/proc/self/io') ?? '', key);
  gauge('oasis_node_cpu_utime_seconds', 'CPU user time spent by the node (seconds).', () => stat()?.user);
  gauge('oasis_node_cpu_stime_seconds', 'CPU system time spent by the node (seconds).', () => stat()?.system);
  gauge('oasis_node_mem_rss_anon_bytes', 'Resident anonymous memory (bytes).', () => status('RssAnon'));
  gauge('oasis_node_mem_rss_file_bytes', 'Resident file mappings (bytes).', () => status('RssFile'));
  gauge('oasis_node_mem_rss_shmem_bytes', 'Resident shared memory (bytes).', () => status('RssShmem'));
  gauge('oasis_node_mem_vm_size_bytes', 'Virtual memory size (bytes).', () => status('VmSize'));
  gauge('oasis_node_disk_read_bytes', 'Data read from block storage (bytes).', () => io('read_bytes'));
  gauge('oasis_node_disk_written_bytes', 'Data written to block storage (bytes).', () => io('write_bytes'));
  if (dataDir !== undefined)
    gauge('oasis_node_disk_usage_bytes', 'Size of the data directory (bytes).', () =>
      directoryBytes(dataDir),
    );
}
