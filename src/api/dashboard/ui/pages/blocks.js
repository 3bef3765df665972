// Blocks and transactions: the latest blocks, one block with its transactions, one transaction.
import { ago, ErrorLine, formatAmount, html, short, useApi } from '../lib.js';

/** The latest blocks, refreshed as blocks arrive. */
export function BlocksPage({ tick }) {
  const { data, error } = useApi('blocks?limit=25', tick);
  if (!data) return html`<${ErrorLine} error=${error} /><p class="loading">Loading…</p>`;
  return html`
    <h1>Latest blocks</h1>
    <${ErrorLine} error=${error} />
    <div class="scroll">
      <table>
        <thead><tr><th>Height</th><th>Hash</th><th>Time</th><th>Txs</th><th>Proposer</th></tr></thead>
        <tbody>
          ${data.blocks.map(
            (b) => html`<tr data-height=${b.height}>
              <td><a href=${`#/blocks/${b.height}`}>${b.height}</a></td>
              <td><code>${short(b.hash)}</code></td>
              <td>${ago(b.time)}</td>
              <td class="num">${b.txs}</td>
              <td><code title=${b.proposer_entity ?? ''}>${short(b.proposer_entity ?? b.proposer, 6)}</code></td>
            </tr>`,
          )}
        </tbody>
      </table>
    </div>
  `;
}

/** A transaction's fields as a definition list. */
function TxDetails({ tx, token }) {
  return html`
    <dl class="fields">
      <dt>Hash</dt><dd><a href=${`#/tx/${tx.hash}`}><code>${tx.hash}</code></a></dd>
      <dt>Block</dt><dd><a href=${`#/blocks/${tx.height}`}>${tx.height}</a> (#${tx.index})</dd>
      <dt>Method</dt><dd data-testid="method">${tx.method}</dd>
      <dt>Sender</dt><dd><a href=${`#/accounts/${tx.sender}`}><code>${tx.sender}</code></a></dd>
      <dt>Nonce</dt><dd>${tx.nonce}</dd>
      <dt>Fee</dt><dd>${formatAmount(tx.fee.amount, token, 9)} for ${tx.fee.gas} gas (used ${tx.gas_used})</dd>
      <dt>Result</dt>
      <dd class=${tx.ok ? 'ok' : 'bad'}>${tx.ok ? 'ok' : `${tx.error.module} ${tx.error.code}: ${tx.error.message}`}</dd>
      <dt>Body</dt><dd><pre>${JSON.stringify(tx.body, null, 2)}</pre></dd>
    </dl>
  `;
}

/** One block and its transactions (a committed block never changes: fetched once). */
export function BlockPage({ height, token }) {
  const { data, error } = useApi(`blocks/${height}`, undefined);
  if (!data) return html`<${ErrorLine} error=${error} /><p class="loading">Loading…</p>`;
  return html`
    <h1>Block ${data.height}</h1>
    <dl class="fields">
      <dt>Hash</dt><dd><code>${data.hash}</code></dd>
      <dt>Time</dt><dd>${new Date(data.time).toISOString()}</dd>
      <dt>Proposer</dt><dd><code>${data.proposer}</code>${data.proposer_entity ? html` (entity <code>${short(data.proposer_entity)}</code>)` : null}</dd>
      <dt>Signatures</dt><dd>${data.signatures ?? '—'} of ${data.validators ?? '—'}</dd>
      <dt>Size</dt><dd>${data.size} bytes</dd>
    </dl>
    <p>
      ${data.height > 1 ? html`<a href=${`#/blocks/${data.height - 1}`}>← ${data.height - 1}</a> ` : null}
      <a href=${`#/blocks/${data.height + 1}`}>${data.height + 1} →</a>
    </p>
    <h2>${data.transactions.length} transactions</h2>
    ${data.transactions.map((tx) => html`<${TxDetails} tx=${tx} token=${token} />`)}
  `;
}

/** One transaction by hash. */
export function TransactionPage({ hash, token }) {
  const { data, error } = useApi(`transactions/${hash}`, undefined);
  if (!data) return html`<${ErrorLine} error=${error} /><p class="loading">Loading…</p>`;
  return html`<h1>Transaction</h1><${TxDetails} tx=${data} token=${token} />`;
}
