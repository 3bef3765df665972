/**
 * Polling filters (`eth_newFilter`, `eth_newBlockFilter`, `eth_getFilterChanges`, `eth_getFilterLogs`,
 * `eth_uninstallFilter`): each remembers the last block it reported, so a poll returns what was indexed
 * since. A filter nobody polls for `idleMs` is dropped (geth's 5 minutes), and at most `maxFilters` live.
 */
import { randomBytes } from 'node:crypto';
import type { Web3Backend } from './backend.ts';
import { RpcErrors } from './errors.ts';
import { logJson } from './format.ts';
import { data } from './hex.ts';
import { type LogFilter, type LogLimits, parseLogFilter, queryLogs } from './log_filter.ts';
import type { RpcMethods } from './method.ts';

interface Installed {
  kind: 'logs' | 'blocks';
  filter?: LogFilter;
  /** The last block reported (changes start after it). */
  cursor: bigint;
  lastPolled: number;
}

/** Filter bounds. */
export interface FilterLimits extends LogLimits {
  maxFilters: number;
  idleMs: number;
}

/** The filter methods over `b`; `now` is the clock used for expiry. */
export function filterMethods(
  b: Web3Backend,
  limits: FilterLimits,
  now: () => number = Date.now,
): RpcMethods {
  const filters = new Map<string, Installed>();
  const sweep = () => {
    for (const [id, f] of filters) if (now() - f.lastPolled > limits.idleMs) filters.delete(id);
  };
  const install = (f: Omit<Installed, 'cursor' | 'lastPolled'>): string => {
    sweep();
    if (filters.size >= limits.maxFilters) throw RpcErrors.limit(`too many filters (${limits.maxFilters})`);
    const id = `0x${randomBytes(16).toString('hex')}`;
    filters.set(id, { ...f, cursor: b.index.head() ?? -1n, lastPolled: now() });
    return id;
  };
  const get = (id: unknown): Installed => {
    sweep();
    const f = typeof id === 'string' ? filters.get(id) : undefined;
    if (f === undefined) throw RpcErrors.server('filter not found');
    f.lastPolled = now();
    return f;
  };

  return {
    eth_newFilter: ([filter]) => install({ kind: 'logs', filter: parseLogFilter(filter, 0) }),
    eth_newBlockFilter: () => install({ kind: 'blocks' }),
    eth_uninstallFilter: ([id]) => typeof id === 'string' && filters.delete(id),
    eth_getFilterLogs: ([id]) => {
      const f = get(id);
      if (f.kind !== 'logs') throw RpcErrors.server('filter not found');
      return queryLogs(b, f.filter!, limits).map(logJson);
    },
    eth_getFilterChanges: ([id]) => {
      const f = get(id);
      const head = b.index.head();
      if (head === undefined || head <= f.cursor) return [];
      const after = f.cursor + 1n;
      f.cursor = head;
      if (f.kind === 'blocks') {
        const hashes: string[] = [];
        for (let n = after; n <= head; n++) {
          const blk = b.index.blockByNumber(n);
          if (blk !== undefined) hashes.push(data(blk.hash));
        }
        return hashes;
      }
      return queryLogs(b, f.filter!, limits, after).map(logJson);
    },
  };
}
