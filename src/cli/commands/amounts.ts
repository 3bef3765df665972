/**
 * Token amounts on the command line. oasis-node takes amounts in base units only; we accept those
 * unchanged and, so operators need not count zeros, token amounts too:
 *
 * - `1234`         → 1234 base units (plain decimal integer: exactly what oasis-node accepts).
 * - `1.5`          → 1.5 tokens = 1.5 × 10^exponent base units (a decimal point means tokens).
 * - `10 TEST`, `10TEST`, `0.25 TEST` → tokens, when the suffix is the network's token symbol.
 *
 * The symbol and exponent come from the genesis file (offline) or the node (online). A token amount with
 * more fractional digits than the exponent allows, a suffix other than the token symbol, a sign, an
 * exponent form (`1e9`) or anything else is rejected with a message naming the flag. Output follows
 * oasis-core's pretty printer: `<tokens> <SYMBOL>` with at least one fractional digit (`100.0 TEST`).
 */
import { MAX_QUANTITY_BYTES } from '../../codec/quantity.ts';

/** The token a network counts in: ticker symbol and base-10 exponent (1 token = 10^exponent base units). */
export interface TokenInfo {
  symbol: string;
  exponent: number;
}

/** Largest amount a quantity can hold. */
const MAX_AMOUNT = (1n << BigInt(8 * MAX_QUANTITY_BYTES)) - 1n;

const AMOUNT_RE = /^([0-9]+)?(?:\.([0-9]*))?\s*([A-Za-z]*)$/;

/**
 * Parses an amount flag value into base units (see the module comment for the grammar). `flag` names the
 * flag in error messages (e.g. `--stake.amount`).
 */
export function parseAmount(value: string, flag: string, token: TokenInfo): bigint {
  return parseUnsigned(value.trim(), value, flag, token);
}

function parseUnsigned(text: string, value: string, flag: string, token: TokenInfo): bigint {
  const m = AMOUNT_RE.exec(text);
  const bad = (why: string) =>
    new Error(
      `${flag}: ${why} (got ${JSON.stringify(value)}; use base units like 1000000000, or tokens like 1.5 or 1.5 ${token.symbol})`,
    );
  if (text.length === 0) throw bad('empty amount');
  if (!m || (m[1] === undefined && (m[2] === undefined || m[2] === ''))) throw bad('not a valid amount');
  const [, whole = '', frac, suffix] = m;
  if (suffix !== '' && suffix !== token.symbol) {
    throw bad(`unknown unit ${JSON.stringify(suffix)}, the token symbol is ${token.symbol}`);
  }
  let base: bigint;
  if (frac === undefined && suffix === '') {
    base = BigInt(whole);
  } else {
    const digits = frac ?? '';
    if (digits.length > token.exponent) {
      throw bad(`${token.symbol} has ${token.exponent} decimal places, the amount has ${digits.length}`);
    }
    const scale = 10n ** BigInt(token.exponent);
    base = BigInt(whole || '0') * scale + BigInt(digits.padEnd(token.exponent, '0') || '0');
  }
  if (base > MAX_AMOUNT) throw bad('amount too large');
  return base;
}

/** Parses a signed amount (`--stake.allow.amount_change`): a leading `-` means a decrease. */
export function parseSignedAmount(
  value: string,
  flag: string,
  token: TokenInfo,
): { negative: boolean; amount: bigint } {
  const text = value.trim();
  const negative = text.startsWith('-');
  return { negative, amount: parseUnsigned(negative ? text.slice(1) : text, value, flag, token) };
}

/** Base units as a token amount, as oasis-core prints it: `1.5`, `100.0`, `0.000000001`. */
export function toTokenString(base: bigint, exponent: number): string {
  const scale = 10n ** BigInt(exponent);
  const whole = base / scale;
  const frac = (base % scale).toString().padStart(exponent, '0').replace(/0+$/, '');
  return `${whole}.${frac || '0'}`;
}

/** `<tokens> <SYMBOL>` (oasis-core's `PrettyPrintAmount`). */
export function formatAmount(base: bigint, token: TokenInfo): string {
  return `${toTokenString(base, token.exponent)} ${token.symbol}`;
}

/** `<tokens> <SYMBOL> (<n> base units)`: both forms, so nothing is lost in rounding or reading. */
export function formatAmountWithBase(base: bigint, token: TokenInfo): string {
  return `${formatAmount(base, token)} (${base} base units)`;
}
