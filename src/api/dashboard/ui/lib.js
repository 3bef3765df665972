// Shared by every page: the html tag, JSON fetching that follows the chain head, and formatting.

import htm from 'htm';
import { h } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/** Tagged-template JSX for preact. */
export const html = htm.bind(h);

/** GETs an /api/ path; rejects with the endpoint's error message. */
export async function getJson(path) {
  const res = await fetch(`./api/${path}`);
  const body = await res.json();
  if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
  return body;
}

/** The endpoint's answer, fetched again whenever `tick` (the live chain head) changes. */
export function useApi(path, tick) {
  const [state, setState] = useState({ data: undefined, error: undefined });
  useEffect(() => {
    let live = true;
    getJson(path).then(
      (data) => live && setState({ data, error: undefined }),
      (error) => live && setState((s) => ({ data: s.data, error })),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  return state;
}

/** Base units as tokens, grouped, with up to `digits` decimals. */
export function formatAmount(base, token, digits = 2) {
  const exp = BigInt(token?.exponent ?? 0);
  const value = BigInt(base);
  const unit = 10n ** exp;
  const whole = (value / unit).toLocaleString('en-US');
  const frac = exp === 0n ? '' : (value % unit).toString().padStart(Number(exp), '0').slice(0, digits);
  const trimmed = frac.replace(/0+$/, '');
  return `${whole}${trimmed ? `.${trimmed}` : ''} ${token?.symbol ?? ''}`.trim();
}

/** A percentage from a 0..1 fraction. */
export const percent = (x, digits = 1) =>
  x === null || x === undefined ? '—' : `${(x * 100).toFixed(digits)}%`;

/** The first and last characters of a long hex or address. */
export const short = (s, n = 8) =>
  s && s.length > 2 * n + 1 ? `${s.slice(0, n)}…${s.slice(-n)}` : (s ?? '—');

/** Seconds or minutes since a unix-millisecond time. */
export function ago(ms) {
  const s = Math.max(0, Math.round((Date.now() - ms) / 1000));
  return s < 90 ? `${s}s ago` : `${Math.round(s / 60)}m ago`;
}

/** An error line, or nothing. */
export const ErrorLine = ({ error }) =>
  error ? html`<p class="error" role="alert">${error.message}</p>` : null;
