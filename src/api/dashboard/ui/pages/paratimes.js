// ParaTimes: each runtime's latest round, executor committee and recent rounds.
import { ErrorLine, html, short, useApi } from '../lib.js';

function ParaTime({ p }) {
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
    ${data.paratimes.length === 0 ? html`<p class="muted">No ParaTime is registered.</p>` : data.paratimes.map((p) => html`<${ParaTime} key=${p.id} p=${p} />`)}
  `;
}
