// The search box: a height, a block or transaction hash, an address or a public key.
import { useState } from 'preact/hooks';
import { getJson, html } from '../lib.js';

/** Where a search hit is shown. */
function hrefOf(hit) {
  if (hit.kind === 'block') return `#/blocks/${hit.height}`;
  if (hit.kind === 'transaction') return `#/tx/${hit.hash}`;
  return `#/accounts/${hit.address}`;
}

/** The search form; jumps to the page of whatever the query names. */
export function SearchBox() {
  const [query, setQuery] = useState('');
  const [error, setError] = useState(undefined);
  const submit = async (e) => {
    e.preventDefault();
    setError(undefined);
    try {
      location.hash = hrefOf(await getJson(`search?q=${encodeURIComponent(query)}`));
    } catch (err) {
      setError(err.message);
    }
  };
  return html`
    <form class="search" onSubmit=${submit} role="search">
      <input
        name="q"
        value=${query}
        onInput=${(e) => setQuery(e.target.value)}
        placeholder="Height, block or tx hash, oasis1… address"
        aria-label="Search"
      />
      <button type="submit">Search</button>
      ${error ? html`<span class="error">${error}</span>` : null}
    </form>
  `;
}
