/**
 * Log line formats besides pino's JSON: `logfmt` (oasis-node's default: `key=value` pairs, values quoted
 * when they need it) and `pretty` (time, level, module and message first, for a terminal). Both are
 * rewritten from pino's JSON line, so every logger call site stays structured.
 */

const LEVEL_NAMES: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};

/** A value as logfmt writes it: bare when it is a plain token, else JSON-quoted. */
function logfmtValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') {
    const err = value as { message?: unknown; type?: unknown };
    const shown = typeof err.message === 'string' && 'stack' in err ? err.message : JSON.stringify(value);
    return JSON.stringify(shown);
  }
  const s = String(value);
  return /^[^\s="\\]+$/.test(s) ? s : JSON.stringify(s);
}

function pairs(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .map(([k, v]) => `${k}=${logfmtValue(v)}`)
    .join(' ');
}

/** Rewrites one pino JSON line (with its newline) as `format`; a line that is not JSON passes unchanged. */
export function formatLogLine(line: string, format: 'logfmt' | 'pretty'): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const { level, time, module, msg, pid: _pid, ...rest } = record;
  const levelName = LEVEL_NAMES[level as number] ?? String(level);
  if (format === 'logfmt') {
    const head: Record<string, unknown> = { level: levelName, ts: time };
    if (module !== undefined) head.module = module;
    if (msg !== undefined) head.msg = msg;
    return `${pairs({ ...head, ...rest })}\n`;
  }
  const clock = typeof time === 'string' ? time.slice(11, 23) : String(time ?? '');
  const tail = Object.keys(rest).length > 0 ? `  ${pairs(rest)}` : '';
  const where = module === undefined ? '' : `${String(module)}: `;
  return `${clock} ${levelName.toUpperCase().padEnd(5)} ${where}${String(msg ?? '')}${tail}\n`;
}
