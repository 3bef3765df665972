/**
 * Structured logs (pino): JSON lines by default, one child logger per subsystem (`module` field), level
 * from the config. Writes to a file in the data dir or to stdout.
 */
import { type Logger, pino } from 'pino';
import type { LogLevel } from './config.ts';

/** A node logger; `child({module})` scopes it to a subsystem. */
export type NodeLogger = Logger;

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
