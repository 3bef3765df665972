// The node-operator leaderboard: entities ranked by stake, sortable by any column.
import { useState } from 'preact/hooks';
import { ErrorLine, formatAmount, html, percent, short, useApi } from '../lib.js';

/** An amount column: sorted as a bigint, shown in tokens, the base units kept in `data-value`. */
const amount = (field) => ({
  cls: `num ${field}`,
  value: (r) => BigInt(r[field]),
  data: (r) => r[field],
  show: (r, token) => formatAmount(r[field], token),
});
/** A number column, shown as `show` renders it. */
const number = (field, show = (r) => r[field]) => ({ cls: 'num', value: (r) => r[field] ?? -1, show });

function entityCell(r) {
  return html`
    <a href=${`#/accounts/${r.address}`} title=${r.entity_id}>${short(r.entity_id, 6)}</a>
    ${r.validator ? html` <span class="badge">validator</span>` : null}
    ${r.frozen ? html` <span class="badge bad">frozen</span>` : null}
  `;
}

function nodesCell(r) {
  return r.nodes.map(
    (n) =>
      html`<div class="node" title=${n.id}>
        ${short(n.id, 4)} <small>${n.roles.join(', ')}${n.frozen ? ', frozen' : ''}</small>
      </div>`,
  );
}

/** Each column: key, heading, sort value, content, and whether a phone-width screen leaves it out. */
const COLUMNS = [
  { key: 'rank', label: '#', ...number('rank') },
  { key: 'entity', label: 'Entity', value: (r) => r.entity_id, show: entityCell },
  { key: 'stake', label: 'Stake', ...amount('stake') },
  { key: 'self_stake', label: 'Self', ...amount('self_stake'), wide: true },
  { key: 'delegated_stake', label: 'Delegated', ...amount('delegated_stake'), wide: true },
  { key: 'delegators', label: 'Delegators', ...number('delegators'), wide: true },
  {
    key: 'commission',
    label: 'Commission',
    ...number('commission', (r) => percent(r.commission, 2)),
    wide: true,
  },
  { key: 'uptime', label: 'Uptime', ...number('uptime', (r) => (r.validator ? percent(r.uptime) : '—')) },
  { key: 'proposed', label: 'Proposed', ...number('proposed') },
  { key: 'slashes', label: 'Slashes', ...number('slashes') },
  { key: 'nodes', label: 'Nodes', value: (r) => r.nodes.length, show: nodesCell, wide: true },
];

const classOf = (c, extra = '') => [c.cls, c.wide ? 'wide' : '', extra].filter(Boolean).join(' ');

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

function Row({ r, token }) {
  return html`<tr data-entity=${r.entity_id}>
    ${COLUMNS.map((c) => html`<td class=${classOf(c)} data-value=${c.data?.(r)}>${c.show(r, token)}</td>`)}
  </tr>`;
}

/** The leaderboard page: sorted in the browser, refetched as blocks arrive. */
export function LeaderboardPage({ tick, token }) {
  const { data, error } = useApi('leaderboard?window=100', tick);
  const [sort, setSort] = useState({ key: 'rank', dir: 1 });
  if (!data) return html`<${ErrorLine} error=${error} /><p class="loading">Loading…</p>`;
  const { value } = COLUMNS.find((c) => c.key === sort.key);
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
              (c) =>
                html`<th data-sort=${c.key} onClick=${() => toggle(c.key)} class=${classOf(c, sort.key === c.key ? 'sorted' : '')}>
                  ${c.label}${sort.key === c.key ? (sort.dir > 0 ? ' ▲' : ' ▼') : ''}
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
