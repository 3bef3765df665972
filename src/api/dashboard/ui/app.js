// The single-page app: a hash router over the pages, and the live chain head from /api/events.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { getJson, html } from './lib.js';
import { AccountPage } from './pages/account.js';
import { BlockPage, BlocksPage, TransactionPage } from './pages/blocks.js';
import { LeaderboardPage } from './pages/leaderboard.js';
import { OverviewPage } from './pages/overview.js';
import { ParaTimesPage } from './pages/paratimes.js';
import { SearchBox } from './pages/search.js';

const NAV = [
  ['#/', 'Overview'],
  ['#/leaderboard', 'Leaderboard'],
  ['#/blocks', 'Blocks'],
  ['#/paratimes', 'ParaTimes'],
];

/** The page for a hash route such as `#/blocks/12`. */
function route(hash, props) {
  const [page, arg] = hash.replace(/^#\/?/, '').split('/');
  switch (page) {
    case '':
    case undefined:
      return html`<${OverviewPage} ...${props} />`;
    case 'leaderboard':
      return html`<${LeaderboardPage} ...${props} />`;
    case 'blocks':
      return arg ? html`<${BlockPage} ...${props} height=${arg} />` : html`<${BlocksPage} ...${props} />`;
    case 'tx':
      return html`<${TransactionPage} ...${props} hash=${arg} />`;
    case 'accounts':
      return html`<${AccountPage} ...${props} address=${arg} />`;
    case 'paratimes':
      return html`<${ParaTimesPage} ...${props} />`;
    default:
      return html`<p class="error">No page ${hash}</p>`;
  }
}

/** The latest block announced by the server, refreshed at most once a second so pages do not thrash. */
function useHead() {
  const [head, setHead] = useState(undefined);
  useEffect(() => {
    let latest;
    const events = new EventSource('./api/events');
    events.addEventListener('block', (e) => {
      latest = JSON.parse(e.data);
    });
    const timer = setInterval(() => {
      if (latest) setHead((h) => (h?.height === latest.height ? h : latest));
    }, 1000);
    return () => {
      events.close();
      clearInterval(timer);
    };
  }, []);
  return head;
}

function App() {
  const [hash, setHash] = useState(location.hash || '#/');
  const [token, setToken] = useState(undefined);
  const head = useHead();
  useEffect(() => {
    const onHash = () => setHash(location.hash || '#/');
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  // Amounts are shown in tokens, so pages wait for the token's symbol and exponent (asked again on each
  // new block until the node answers): base units without a unit would read a billion times too large.
  useEffect(() => {
    if (token) return;
    getJson('overview?window=1').then(
      (o) => setToken(o.token),
      () => undefined,
    );
  }, [token, head?.height]);
  const current = `#/${hash.replace(/^#\/?/, '').split('/')[0]}`;
  return html`
    <header>
      <a class="brand" href="#/">oasis-ts</a>
      <nav>
        ${NAV.map(([href, label]) => html`<a href=${href} class=${href === current ? 'active' : ''}>${label}</a>`)}
      </nav>
      <span class="live" title="latest block">${head ? html`● ${head.height}` : '○'}</span>
    </header>
    <${SearchBox} />
    <main>${token ? route(hash, { tick: head?.height, token }) : html`<p class="loading">Loading…</p>`}</main>
  `;
}

const root = document.getElementById('app');
// Replace the static "Loading…" placeholder rather than render beside it.
root.textContent = '';
render(html`<${App} />`, root);
