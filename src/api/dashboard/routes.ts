/**
 * The JSON endpoints under `/api/` the pages use (and scripts may): each a pure read of the node's backends
 * at the latest height, answered as JSON; bad parameters are `400` with a coded body, unknown things `404`.
 */
import { accountView } from './accounts.ts';
import type { DashboardBackend } from './backend.ts';
import { blockDetail, blockList, search, transactionByHash } from './blocks.ts';
import { MAX_WINDOW } from './chain_reads.ts';
import { DashboardErrors } from './errors.ts';
import { evmActivity } from './evm.ts';
import { leaderboard } from './leaderboard.ts';
import { overview } from './overview.ts';
import { paraTimes } from './paratimes.ts';

/** Blocks the overview chart, uptime and round history cover unless `?window=` says otherwise. */
export const DEFAULT_WINDOW = 100;
const MAX_BLOCK_PAGE = 100;

function positiveInt(
  raw: string | null,
  name: string,
  fallback: number | undefined,
  max = Number.MAX_SAFE_INTEGER,
) {
  if (raw === null || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw DashboardErrors.badRequest(`${name}: expected an integer from 1 to ${max}, got ${raw}`);
  return n;
}

/** Answers an `/api/…` path (without the prefix), or throws a `DashboardError`. */
export function apiRoute(b: DashboardBackend, path: string, query: URLSearchParams): unknown {
  const [first, second, ...rest] = path.split('/').filter((p) => p !== '');
  if (rest.length > 0) throw DashboardErrors.notFound(`no endpoint /api/${path}`);
  const window = () => positiveInt(query.get('window'), 'window', DEFAULT_WINDOW, MAX_WINDOW)!;
  switch (first) {
    case 'overview':
      if (second === undefined) return overview(b, window());
      break;
    case 'leaderboard':
      if (second === undefined) return leaderboard(b, window());
      break;
    case 'paratimes':
      if (second === undefined) return paraTimes(b, window());
      break;
    case 'search':
      if (second === undefined) return search(b, query.get('q') ?? '');
      break;
    case 'blocks':
      if (second === undefined) {
        const limit = positiveInt(query.get('limit'), 'limit', 20, MAX_BLOCK_PAGE)!;
        return { blocks: blockList(b, positiveInt(query.get('before'), 'before', undefined), limit) };
      }
      return blockDetail(b, positiveInt(second, 'height', undefined)!);
    case 'transactions':
      if (second !== undefined) return transactionByHash(b, second);
      break;
    case 'accounts':
      if (second !== undefined) return accountView(b, second);
      break;
    case 'evm':
      if (second !== undefined) {
        const index = b.ethIndex(second);
        if (index === undefined)
          throw DashboardErrors.notFound(`no Ethereum index of runtime ${second} here`);
        return evmActivity(index, second, positiveInt(query.get('limit'), 'limit', 20, MAX_BLOCK_PAGE)!);
      }
      break;
  }
  throw DashboardErrors.notFound(`no endpoint /api/${path}`);
}
