/**
 * Decoders of configuration values shared by the subsystems' option sections (ports, `host:port`
 * addresses, non-empty strings, string enums), each refusing a bad value with a message naming its key.
 */
import { CodecError } from '../errors.ts';
import { type Decoder, text, uint } from './schema.ts';

/** A TCP port number. */
export const port: Decoder<number> = (v, p) => {
  const n = uint(v, p);
  if (n > 65535) throw new CodecError(p, 'port must be at most 65535');
  return n;
};

/** A string that is not empty. */
export const nonEmpty: Decoder<string> = (v, p) => {
  const s = text(v, p);
  if (!s) throw new CodecError(p, 'must not be empty');
  return s;
};

/** `host:port`, or empty (meaning: disabled). */
export const hostPort: Decoder<string> = (v, p) => {
  const s = text(v, p);
  if (s && !/^[^\s:]+:\d{1,5}$/.test(s))
    throw new CodecError(p, `expected host:port, got ${JSON.stringify(s)}`);
  return s;
};

/** One of the `allowed` strings. */
export function enumOfStrings<T extends string>(allowed: readonly T[]): Decoder<T> {
  return (v, p) => {
    const s = text(v, p);
    if (!allowed.includes(s as T))
      throw new CodecError(p, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(s)}`);
    return s as T;
  };
}

/** A runtime ID as 64 lowercase hex digits (how configs name a ParaTime). */
export const runtimeIdHex: Decoder<string> = (v, p) => {
  const s = text(v, p);
  if (!/^[0-9a-f]{64}$/.test(s)) throw new CodecError(p, 'expected a runtime ID as 64 lowercase hex digits');
  return s;
};
