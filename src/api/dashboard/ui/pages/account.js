// One account: balances, escrow, delegations made and debonding delegations.
import { ErrorLine, formatAmount, html, percent, useApi } from '../lib.js';

/** One account, refreshed as blocks arrive. */
export function AccountPage({ address, tick, token }) {
  const { data, error } = useApi(`accounts/${address}`, tick);
  if (!data) return html`<${ErrorLine} error=${error} /><p class="loading">Loading…</p>`;
  const rate = data.commission_rates.at(-1);
  return html`
    <h1>Account</h1>
    <p><code class="wrap">${data.address}</code></p>
    <${ErrorLine} error=${error} />
    <dl class="fields">
      <dt>Balance</dt><dd data-testid="balance">${formatAmount(data.balance, token, 9)}</dd>
      <dt>Nonce</dt><dd>${data.nonce}</dd>
      <dt>Escrow (active)</dt><dd>${formatAmount(data.escrow.active, token, 9)}</dd>
      <dt>Escrow (debonding)</dt><dd>${formatAmount(data.escrow.debonding, token, 9)}</dd>
      <dt>Delegators</dt><dd>${data.delegators}</dd>
      ${rate ? html`<dt>Commission</dt><dd>${percent(Number(rate.rate) / 100000, 2)} from epoch ${rate.start}</dd>` : null}
    </dl>
    <h2>Delegations</h2>
    ${
      data.delegations.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<div class="scroll"><table>
            <thead><tr><th>To</th><th>Amount</th><th>Shares</th></tr></thead>
            <tbody>${data.delegations.map(
              (d) => html`<tr><td><a href=${`#/accounts/${d.to}`}><code>${d.to}</code></a></td>
                <td class="num">${formatAmount(d.amount, token)}</td><td class="num">${d.shares}</td></tr>`,
            )}</tbody></table></div>`
    }
    <h2>Debonding</h2>
    ${
      data.debonding.length === 0
        ? html`<p class="muted">None.</p>`
        : html`<div class="scroll"><table>
            <thead><tr><th>From</th><th>Amount</th><th>Ends at epoch</th></tr></thead>
            <tbody>${data.debonding.map(
              (d) => html`<tr><td><a href=${`#/accounts/${d.from}`}><code>${d.from}</code></a></td>
                <td class="num">${formatAmount(d.amount, token)}</td><td class="num">${d.end_epoch}</td></tr>`,
            )}</tbody></table></div>`
    }
  `;
}
