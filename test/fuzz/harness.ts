/**
 * What every fuzz target shares: its shape (a name, seed inputs, a check over one input) and the property
 * all decoders must keep — an input is answered with a value or with one of our own errors, never with any
 * other exception (a TypeError, a RangeError from an allocation, a stack overflow…).
 */
import assert from 'node:assert/strict';
import { CodedError } from '../../src/errors.ts';

/** A decoder under fuzzing. `check` throws (anything but an expected error) when a property is broken. */
export interface FuzzTarget {
  /** Directory name of its corpus and the `npm run fuzz` argument. */
  readonly name: string;
  /** Valid (or interesting) inputs the corpus starts from. */
  seeds(): Uint8Array[];
  /** True when `check` returns a promise (decoders that are asynchronous by nature). */
  readonly async?: boolean;
  /** Runs one input. */
  check(data: Uint8Array): void | Promise<void>;
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** Thrown when a decoder answered with an exception that is not one of ours. */
export class UnexpectedError extends Error {
  constructor(cause: unknown) {
    const e = cause as Error;
    super(`unexpected ${e?.name ?? typeof cause}: ${e?.message ?? String(cause)}`, { cause });
    this.name = 'UnexpectedError';
  }
}

/**
 * Runs `fn`; a `CodedError` or an instance of one of `expected` is a valid answer (returned as undefined),
 * anything else is a finding.
 */
export function valueOrOurs<T>(fn: () => T, ...expected: ErrorClass[]): T | undefined {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CodedError || expected.some((c) => err instanceof c)) return undefined;
    throw new UnexpectedError(err);
  }
}

/** Async form of `valueOrOurs`. */
export async function valueOrOursAsync<T>(
  fn: () => Promise<T>,
  ...expected: ErrorClass[]
): Promise<T | undefined> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof CodedError || expected.some((c) => err instanceof c)) return undefined;
    throw new UnexpectedError(err);
  }
}

/** Asserts a round-trip property: `again` (decoded from a re-encoding) equals `first`. */
export function sameAfterRoundTrip(first: unknown, again: unknown, what: string): void {
  assert.deepStrictEqual(again, first, `${what}: decode(encode(decode(x))) differs from decode(x)`);
}

/** Asserts two byte strings are equal (canonical encodings re-encode to the input). */
export function sameBytes(a: Uint8Array, b: Uint8Array, what: string): void {
  assert.ok(Buffer.from(a).equals(Buffer.from(b)), `${what}: re-encoding differs from the input`);
}

/** UTF-8 text of fuzzer bytes (invalid sequences become U+FFFD, as a file read would). */
export const text = (data: Uint8Array): string => Buffer.from(data).toString('utf8');

/** Bytes of a string. */
export const utf8 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
