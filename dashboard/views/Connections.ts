// The live table. Only one page of rows is in the DOM whatever the number of
// connections: 10,000 open connections are 50 rows and a pager.
import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { age } from '../format.js';
import type { ConnInfo, MockEnvelope } from '../store.js';

export const PAGE_SIZE = 50;

function matches(c: ConnInfo, needle: string): boolean {
  return c.id.includes(needle) || c.mockId.includes(needle) || c.url.includes(needle) || c.clientIp.includes(needle) || c.status.includes(needle);
}

export function Connections(props: {
  conns: Map<string, ConnInfo>;
  mocks: Map<string, MockEnvelope>;
  selected: string | null;
  onSelect: (id: string) => void;
  now: number;
}) {
  const { conns, mocks, selected, onSelect, now } = props;
  const [filter, setFilter] = useState('');
  const [page, setPage] = useState(0);
  const needle = filter.trim();
  const rows: ConnInfo[] = [];
  for (const c of conns.values()) if (needle === '' || matches(c, needle)) rows.push(c);
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  const first = rows.length === 0 ? 0 : current * PAGE_SIZE + 1;
  return html`<section class="panel">
    <h2>Connections <span class="muted" data-testid="conn-count">${rows.length}</span></h2>
    <div class="toolbar">
      <input type="search" placeholder="Filter: id, mock, path, client, status" value=${filter} data-testid="conn-filter"
        onInput=${(e: Event) => { setFilter((e.target as HTMLInputElement).value); setPage(0); }} />
      <span class="muted" data-testid="conn-range">${first}–${first + shown.length - (shown.length ? 1 : 0)} of ${rows.length}</span>
      <button type="button" data-testid="page-prev" disabled=${current === 0} onClick=${() => setPage(current - 1)}>‹ Prev</button>
      <button type="button" data-testid="page-next" disabled=${current >= pages - 1} onClick=${() => setPage(current + 1)}>Next ›</button>
    </div>
    <table class="grid" data-testid="connections">
      <thead><tr><th>Id</th><th>Type</th><th>Mock</th><th>Path</th><th>Client</th><th>Age</th><th>In</th><th>Out</th><th>Status</th></tr></thead>
      <tbody>
        ${shown.map(
          (c) => html`<tr key=${c.id} data-testid="conn-row" data-id=${c.id} class=${c.id === selected ? 'selected' : ''} onClick=${() => onSelect(c.id)}>
            <td class="mono">${c.id}</td>
            <td><span class="tag">${c.type ?? mocks.get(c.mockId)?.type ?? ''}</span></td>
            <td>${c.mockId}</td>
            <td class="mono">${c.url}</td>
            <td class="mono">${c.clientIp}</td>
            <td>${age(c.connectedAt, now)}</td>
            <td>${c.messagesRecv}</td>
            <td>${c.messagesSent}</td>
            <td>${c.status}</td>
          </tr>`,
        )}
      </tbody>
    </table>
    ${rows.length === 0 && html`<p class="muted">${conns.size === 0 ? 'No open connections.' : 'No connection matches the filter.'}</p>`}
  </section>`;
}
