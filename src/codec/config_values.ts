/**
 * Decoders of configuration values shared by the subsystems' option sections (ports, `host:port`
 * addresses, non-empty strings, string enums), each refusing a bad value with a message naming its key.
 */
import { CodecError } from '../errors.ts';
import { type Decoder, text, typed, uint } from './schema.ts';

/** A TCP port number. */
export const port: Decoder<number> = typed('TCP port (0–65535)', (v, p) => {
  const n = uint(v, p);
  if (n > 65535) throw new CodecError(p, 'port must be at most 65535');
  return n;
});

/** A string that is not empty. */
export const nonEmpty: Decoder<string> = typed('non-empty string', (v, p) => {
  const s = text(v, p);
  if (!s) throw new CodecError(p, 'must not be empty');
  return s;
});

/** `host:port`, or empty (meaning: disabled). */
export const hostPort: Decoder<string> = typed('host:port or empty', (v, p) => {
  const s = text(v, p);
  if (s && !/^[^\s:]+:\d{1,5}$/.test(s))
    throw new CodecError(p, `expected host:port, got ${JSON.stringify(s)}`);
  return s;
});

/** One of the `allowed` strings; with `ignoreCase`, written in any case (oasis-node accepts `keep_N`). */
export function enumOfStrings<T extends string>(
  allowed: readonly T[],
  { ignoreCase = false }: { ignoreCase?: boolean } = {},
): Decoder<T> {
  return typed(`one of ${allowed.join(', ')}${ignoreCase ? ' (any case)' : ''}`, (v, p) => {
    const s = ignoreCase ? text(v, p).toLowerCase() : text(v, p);
    if (!allowed.includes(s as T))
      throw new CodecError(p, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(s)}`);
    return s as T;
  });
}

const DURATION_UNITS_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * A duration as oasis-node's config writes one (Go's `2m`, `1m30s`, `500ms`, `1h`), or a bare number of
 * seconds; in milliseconds.
 */
export const durationMs: Decoder<number> = typed(
  'duration (2m, 30s, 500ms; a bare number is seconds)',
  (v, p) => {
    if (typeof v === 'number' || typeof v === 'bigint') return uint(v, p) * 1000;
    const s = text(v, p).trim();
    const parts = [...s.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
    if (s === '' || parts.map((m) => m[0]).join('') !== s)
      throw new CodecError(p, `expected a duration such as 2m, 30s or 500ms, got ${JSON.stringify(s)}`);
    return Math.round(parts.reduce((ms, m) => ms + Number(m[1]) * DURATION_UNITS_MS[m[2]!]!, 0));
  },
  { show: (ms) => showDurationMs(ms as number) },
);

/** Writes milliseconds the way `durationMs` reads them back (`120000` → `2m`, `1500` → `1s500ms`). */
export function showDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of Object.entries(DURATION_UNITS_MS).sort((a, b) => b[1] - a[1])) {
    const n = Math.floor(rest / size);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * size;
  }
  return out;
}

/** A runtime ID as 64 lowercase hex digits (how configs name a ParaTime). */
export const runtimeIdHex: Decoder<string> = typed('runtime ID (64 lowercase hex digits)', (v, p) => {
  const s = text(v, p);
  if (!/^[0-9a-f]{64}$/.test(s)) throw new CodecError(p, 'expected a runtime ID as 64 lowercase hex digits');
  return s;
});
