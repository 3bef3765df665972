/**
 * Structured logs (pino): JSON lines by default, one child logger per subsystem (`module` field), level
 * from the config's `common.log` section (defined here). Writes to a file in the data dir or to stdout.
 */
import { type Logger, pino } from 'pino';
import { enumOfStrings } from '../codec/config_values.ts';
import { optional, struct } from '../codec/schema.ts';

/** A node logger; `child({module})` scopes it to a subsystem. */
export type NodeLogger = Logger;

/** Log levels (pino's). */
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** The `common.log` section of a node's configuration. */
export interface LogOptions {
  level: LogLevel;
  format: 'json' | 'pretty';
}

/** Defaults: JSON lines at `info`. */
export function defaultLogOptions(): LogOptions {
  return { level: 'info', format: 'json' };
}

/** Decodes a `common.log` section as written in a file (every key optional). */
export const logOptionsDecoder = struct({
  level: optional(enumOfStrings(['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const)),
  format: optional(enumOfStrings(['json', 'pretty'] as const)),
});

/** Creates the root logger, writing JSON lines to `destination` (a file path) or stdout. */
export function createLogger(level: LogLevel, destination?: string): NodeLogger {
  const stream = destination
    ? pino.destination({ dest: destination, mkdir: true, sync: false })
    : pino.destination(1);
  return pino({ level, base: { pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, stream);
}

/** A logger that discards everything (tests, tools). */
export function silentLogger(): NodeLogger {
  return pino({ level: 'silent' });
}
