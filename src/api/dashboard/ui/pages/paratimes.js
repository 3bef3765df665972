// ParaTimes: each runtime's latest round, executor committee and recent rounds; for an EVM ParaTime this node
// indexes, its latest Ethereum blocks and the contracts created in them.
import { ErrorLine, html, short, useApi } from '../lib.js';

/** Latest Ethereum blocks and contracts of an EVM ParaTime, from the node's Ethereum index. */
function EvmActivity({ id, tick }) {
  const { data, error } = useApi(`evm/${id}?limit=10`, tick);
  if (!data) return html`<${ErrorLine} error=${error} />`;
  return html`
    <section class="evm" data-testid="evm">
      <h3>Ethereum blocks</h3>
      <div class="scroll"><table>
        <thead><tr><th>Number</th><th>Hash</th><th>Transactions</th><th>Gas used</th></tr></thead>
        <tbody>${data.blocks.map(
          (
            b,
          ) => html`<tr data-evm-block=${b.number}><td>${b.number}</td><td><code>${short(b.hash, 8)}</code></td>
            <td class="num">${b.tx_count}</td><td class="num">${BigInt(b.gas_used).toLocaleString('en-US')}</td></tr>`,
        )}</tbody></table></div>
      <h3>Contracts created</h3>
      ${
        data.contracts.length === 0
          ? html`<p class="muted">No contract created in these blocks.</p>`
          : html`<div class="scroll"><table>
              <thead><tr><th>Address</th><th>Creator</th><th>Transaction</th><th>Block</th></tr></thead>
              <tbody>${data.contracts.map(
                (c) => html`<tr data-contract=${c.address}><td><code>${c.address}</code></td>
                  <td><code>${short(c.creator, 6)}</code></td><td><code>${short(c.tx_hash, 8)}</code></td>
                  <td>${c.block}</td></tr>`,
              )}</tbody></table></div>`
      }
    </section>
  `;
}

function ParaTime({ p, tick }) {
  return html`
    <section class="paratime" data-runtime=${p.id}>
      <h2>Runtime <code>${short(p.id)}</code></h2>
      <dl class="fields">
        <dt>Round</dt><dd data-testid="round">${p.round}</dd>
        <dt>Latest block</dt><dd>${p.block_type}, ${new Date(Number(p.block_time) * 1000).toISOString()}</dd>
        <dt>Pool</dt><dd>${p.discrepancy ? html`<span class="bad">discrepancy</span>` : 'no discrepancy'}${p.suspended ? ', suspended' : ''}</dd>
        <dt>Committee</dt><dd>${p.committee.valid_for === null ? 'none elected yet' : `valid for epoch ${p.committee.valid_for}, ${p.total_rounds} rounds this epoch`}</dd>
      </dl>
      ${
        p.committee.members.length > 0
          ? html`<div class="scroll"><table>
              <thead><tr><th>Node</th><th>Entity</th><th>Role</th><th>Live rounds</th></tr></thead>
              <tbody>${p.committee.members.map(
                (
                  m,
                ) => html`<tr><td><code>${short(m.node, 6)}</code></td><td><code>${short(m.entity, 6)}</code></td>
                  <td>${m.role}</td><td class="num">${m.live_rounds ?? '—'}</td></tr>`,
              )}</tbody></table></div>`
          : null
      }
      <h3>Recent rounds</h3>
      ${
        p.rounds.length === 0
          ? html`<p class="muted">No round events in the last blocks.</p>`
          : html`<div class="scroll"><table>
              <thead><tr><th>Round</th><th>Proposer</th><th>Commits</th><th>Failures</th><th>Discrepancy</th><th>Finalized at</th></tr></thead>
              <tbody>${p.rounds.map(
                (r) => html`<tr data-round=${r.round}>
                  <td>${r.round}</td><td><code>${short(r.proposer_entity ?? r.proposer, 6)}</code></td>
                  <td class="num">${r.commitments}</td><td class="num">${r.failures}</td>
                  <td>${r.discrepancy ? (r.timeout ? 'timeout' : 'yes') : 'no'}</td>
                  <td>${r.finalized_height === null ? '—' : html`<a href=${`#/blocks/${r.finalized_height}`}>${r.finalized_height}</a>`}</td>
                </tr>`,
              )}</tbody></table></div>`
      }
      ${p.ethereum ? html`<${EvmActivity} id=${p.id} tick=${tick} />` : null}
    </section>
  `;
}

/** Every registered ParaTime, refreshed as blocks arrive. */
export function ParaTimesPage({ tick }) {
  const { data, error } = useApi('paratimes?window=100', tick);
  if (!data) return html`<${ErrorLine} error=${error} /><p class="loading">Loading…</p>`;
  return html`
    <h1>ParaTimes</h1>
    <${ErrorLine} error=${error} />
    ${data.paratimes.length === 0 ? html`<p class="muted">No ParaTime is registered.</p>` : data.paratimes.map((p) => html`<${ParaTime} key=${p.id} p=${p} tick=${tick} />`)}
  `;
}
