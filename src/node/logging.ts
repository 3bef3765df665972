/**
 * Structured logs (pino) configured as oasis-node's `log` section: a default level with per-module
 * overrides (`level: {default: info, consensus: debug}`; a module's children follow it, so `runtime` also
 * sets `runtime/...`), and `format: logfmt | json | pretty`. One child logger per subsystem carries a
 * `module` field. Writes to `file` or to stdout.
 */
import { type DestinationStream, type Logger, pino } from 'pino';
import type { CborValue } from '../codec/cbor.ts';
import { enumOfStrings } from '../codec/config_values.ts';
import { type Decoder, optional, refine, struct, text, typed } from '../codec/schema.ts';
import { CodecError } from '../errors.ts';
import { formatLogLine } from './log_format.ts';

/** A node logger; `child({module})` scopes it to a subsystem. */
export type NodeLogger = Logger;

const LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
/** Log levels (pino's). */
export type LogLevel = (typeof LEVELS)[number];
/** Line formats: oasis-node's `logfmt` and `JSON`, and `pretty` for a terminal. */
export type LogFormat = 'logfmt' | 'json' | 'pretty';

/** The `common.log` section of a node's configuration. */
export interface LogOptions {
  /** Level of modules without their own. */
  level: LogLevel;
  /** Levels by module (`consensus`, `p2p`, `runtime`, …). */
  modules: Record<string, LogLevel>;
  format: LogFormat;
  /** Where to write; stdout when absent. */
  file?: string;
}

/** Defaults: JSON lines at `info`. */
export function defaultLogOptions(): LogOptions {
  return { level: 'info', modules: {}, format: 'json' };
}

const level = enumOfStrings(LEVELS);
const format: Decoder<LogFormat> = enumOfStrings(['logfmt', 'json', 'pretty'] as const, { ignoreCase: true });
const rawSection = struct({
  level: optional(
    typed(`one of ${LEVELS.join(', ')}, or a map of module to level`, (v) => v),
    'Log level, or levels by module (`{default: info, consensus: debug}`; a module sets its children too)',
  ),
  format: optional(format, "Line format: oasis-node's logfmt or JSON, or pretty for a terminal"),
  file: optional(text, 'File to write logs to; stdout when absent'),
});

/**
 * Decodes a `common.log` section as written in a file (every key optional). `level` is a level, or a map of
 * module → level whose `default` key sets the rest, as oasis-node's.
 */
export const logOptionsDecoder: Decoder<Partial<LogOptions>> = refine(rawSection, (raw, path) => {
  const out: Partial<LogOptions> = {};
  if (raw.format !== undefined) out.format = raw.format;
  if (raw.file !== undefined) out.file = raw.file;
  const lv = raw.level as CborValue | undefined;
  const levelPath = path ? `${path}.level` : 'level';
  if (typeof lv === 'string') out.level = level(lv, levelPath);
  else if (lv !== undefined) {
    if (lv === null || typeof lv !== 'object' || Array.isArray(lv) || lv instanceof Uint8Array)
      throw new CodecError(levelPath, 'expected a level or a map of module to level');
    const modules: Record<string, LogLevel> = {};
    for (const [module, v] of Object.entries(lv as Record<string, CborValue>)) {
      if (module === 'default') out.level = level(v, `${levelPath}.default`);
      else modules[module] = level(v, `${levelPath}.${module}`);
    }
    out.modules = modules;
  }
  return out;
});

/** The level for `module`: its own, else its closest parent's (`a/b` falls back to `a`), else the default. */
export function levelFor(options: Pick<LogOptions, 'level' | 'modules'>, module: unknown): LogLevel {
  if (typeof module !== 'string') return options.level;
  for (let m = module; m; m = m.slice(0, Math.max(0, m.lastIndexOf('/')))) {
    const own = options.modules[m];
    if (own !== undefined) return own;
    if (!m.includes('/')) break;
  }
  return options.level;
}

/** A stream that rewrites pino's JSON lines into `format` before writing them to `out`. */
function reformatting(
  out: ReturnType<typeof pino.destination>,
  format: Exclude<LogFormat, 'json'>,
): DestinationStream & { flush(cb?: (err?: Error) => void): void } {
  return {
    write: (line: string) => out.write(formatLogLine(line, format)),
    flush: (cb) => out.flush(cb),
  };
}

/** Creates the root logger as `options` say. */
export function createLogger(options: LogOptions): NodeLogger {
  const sink = options.file
    ? pino.destination({ dest: options.file, mkdir: true, sync: false })
    : pino.destination(1);
  const stream = options.format === 'json' ? sink : reformatting(sink, options.format);
  // Levels below the lowest configured one never reach a child, so the root runs at that lowest level and
  // each module's child narrows it.
  const order = (l: LogLevel) => LEVELS.indexOf(l);
  const lowest = [options.level, ...Object.values(options.modules)].reduce((a, b) =>
    order(a) <= order(b) ? a : b,
  );
  const root = pino(
    {
      level: lowest,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      onChild: (child) => {
        child.level = levelFor(options, child.bindings().module);
      },
    },
    stream,
  );
  return root.child({}, { level: options.level });
}

/** A logger that discards everything (tests, tools). */
export function silentLogger(): NodeLogger {
  return pino({ level: 'silent' });
}
