// The node-operator leaderboard: entities ranked by stake, sortable by any column.
import { useState } from 'preact/hooks';
import { ErrorLine, formatAmount, html, percent, short, useApi } from '../lib.js';

const COLUMNS = [
  ['rank', '#', (r) => r.rank],
  ['entity', 'Entity', (r) => r.entity_id],
  ['stake', 'Stake', (r) => BigInt(r.stake)],
  ['self_stake', 'Self', (r) => BigInt(r.self_stake)],
  ['delegated_stake', 'Delegated', (r) => BigInt(r.delegated_stake)],
  ['delegators', 'Delegators', (r) => r.delegators],
  ['commission', 'Commission', (r) => r.commission ?? -1],
  ['uptime', 'Uptime', (r) => r.uptime],
  ['proposed', 'Proposed', (r) => r.proposed],
  ['slashes', 'Slashes', (r) => r.slashes],
  ['nodes', 'Nodes', (r) => r.nodes.length],
];

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function Row({ r, token }) {
  return html`
    <tr data-entity=${r.entity_id}>
      <td>${r.rank}</td>
      <td>
        <a href=${`#/accounts/${r.address}`} title=${r.entity_id}>${short(r.entity_id, 6)}</a>
        ${r.validator ? html` <span class="badge">validator</span>` : null}
        ${r.frozen ? html` <span class="badge bad">frozen</span>` : null}
      </td>
      <td class="num stake" data-value=${r.stake}>${formatAmount(r.stake, token)}</td>
      <td class="num">${formatAmount(r.self_stake, token)}</td>
      <td class="num">${formatAmount(r.delegated_stake, token)}</td>
      <td class="num">${r.delegators}</td>
      <td class="num">${percent(r.commission, 2)}</td>
      <td class="num">${r.validator ? percent(r.uptime) : '—'}</td>
      <td class="num">${r.proposed}</td>
      <td class="num">${r.slashes}</td>
      <td>
        ${r.nodes.map((n) => html`<div class="node" title=${n.id}>${short(n.id, 4)} <small>${n.roles.join(', ')}${n.frozen ? ', frozen' : ''}</small></div>`)}
      </td>
    </tr>
  `;
}

/** The leaderboard page: sorted in the browser, refetched as blocks arrive. */
export function LeaderboardPage({ tick, token }) {
  const { data, error } = useApi('leaderboard?window=100', tick);
  const [sort, setSort] = useState({ key: 'rank', dir: 1 });
  if (!data) return html`<${ErrorLine} error=${error} /><p class="loading">Loading…</p>`;
  const [, , value] = COLUMNS.find(([key]) => key === sort.key);
  const rows = [...data.operators].sort((a, b) => sort.dir * compare(value(a), value(b)) || a.rank - b.rank);
  const toggle = (key) =>
    setSort((s) => ({ key, dir: s.key === key ? -s.dir : key === 'rank' || key === 'entity' ? 1 : -1 }));
  return html`
    <h1>Node operators</h1>
    <${ErrorLine} error=${error} />
    <p class="muted">
      ${data.operators.length} entities at height ${data.height}; uptime and proposals over the last ${data.window} blocks.
    </p>
    <div class="scroll">
      <table class="leaderboard" data-height=${data.height}>
        <thead>
          <tr>
            ${COLUMNS.map(
              ([key, label]) =>
                html`<th data-sort=${key} onClick=${() => toggle(key)} class=${sort.key === key ? 'sorted' : ''}>
                  ${label}${sort.key === key ? (sort.dir > 0 ? ' ▲' : ' ▼') : ''}
                </th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${rows.map((r) => html`<${Row} key=${r.entity_id} r=${r} token=${token} />`)}
        </tbody>
      </table>
    </div>
  `;
}
