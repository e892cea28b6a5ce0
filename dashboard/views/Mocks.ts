import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { mockPath } from '../format.js';
import type { ConnInfo, MockEnvelope } from '../store.js';

export function Mocks({ api, mocks, conns }: { api: Api; mocks: Map<string, MockEnvelope>; conns: Map<string, ConnInfo> }) {
  const [error, setError] = useState('');
  const open = new Map<string, number>();
  for (const c of conns.values()) open.set(c.mockId, (open.get(c.mockId) ?? 0) + 1);
  const toggle = async (id: string) => {
    try {
      await api.call('POST', `/mocks/${encodeURIComponent(id)}/toggle`);
      setError('');
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return html`<section class="panel">
    <h2>Mocks <span class="muted">${mocks.size}</span></h2>
    ${error && html`<p class="error" role="alert">${error}</p>`}
    <table class="grid" data-testid="mocks">
      <thead><tr><th>Type</th><th>Id</th><th>URL</th><th>Enabled</th><th>Connections</th></tr></thead>
      <tbody>
        ${[...mocks.values()].map(
          (m) => html`<tr key=${m.id} data-testid="mock-row" data-id=${m.id}>
            <td><span class="tag">${m.type}</span></td>
            <td>${m.id}${m.name ? html` <span class="muted">${m.name}</span>` : ''}</td>
            <td class="mono" data-testid="mock-url" title=${m.httpUrl && m.httpUrl !== m.url ? `also ${m.httpUrl}` : ''}>${m.url ?? mockPath(m)}</td>
            <td><label class="switch"><input type="checkbox" data-testid=${`toggle-${m.id}`} checked=${m.enabled} onChange=${() => toggle(m.id)} aria-label=${`enable ${m.id}`} /></label></td>
            <td>${open.get(m.id) ?? 0}</td>
          </tr>`,
        )}
      </tbody>
    </table>
  </section>`;
}
