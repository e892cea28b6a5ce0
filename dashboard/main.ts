// The wsmock dashboard: a page served by the admin API it talks to. It reads
// the event stream (GET /events) and calls the same JSON routes as the CLI.
import { html, render } from 'htm/preact';
import { useEffect, useState } from 'preact/hooks';
import { Api, ApiError, apiBase } from './api.js';
import { Store, type ConnInfo, type MockEnvelope } from './store.js';
import { Connections } from './views/Connections.js';
import { Detail } from './views/Detail.js';
import { Mocks } from './views/Mocks.js';
import { SendBox } from './views/SendBox.js';
import { StatsCards } from './views/StatsCards.js';

const TOKEN_KEY = 'wsmock-admin-token';
const api = new Api(apiBase(location.pathname));
api.token = sessionStorage.getItem(TOKEN_KEY);
const store = new Store();

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Follows the event stream, reconnecting after a drop; stops on 401 or abort. */
async function follow(signal: AbortSignal, unauthorized: () => void): Promise<void> {
  while (!signal.aborted) {
    const closedSince = new Set<string>();
    store.reset();
    try {
      await api.stream(
        '/events',
        (event, data) => {
          if (event === 'ready') {
            void Promise.all([api.call<{ mocks: MockEnvelope[] }>('GET', '/mocks'), api.call<{ connections: ConnInfo[]; stats: any }>('GET', '/websocket/connections')]).then(
              ([m, c]) => {
                store.stats ??= c.stats;
                store.snapshot(m.mocks, c.connections, closedSince);
              },
            );
            return;
          }
          if (event === 'close') closedSince.add(data.id);
          store.apply(event, data);
        },
        signal,
      );
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) return unauthorized();
    }
    store.live = false;
    store.changed();
    await sleep(1000, signal);
  }
}

function TokenGate({ message, onToken }: { message: string; onToken: (token: string) => void }) {
  const [token, setToken] = useState('');
  return html`<form class="panel gate" data-testid="token-form" onSubmit=${(e: Event) => { e.preventDefault(); onToken(token); }}>
    <h2>This admin API needs a token</h2>
    <p class="muted">It is sent as an <code>Authorization</code> header with every call, kept for this tab only, never put in a URL.</p>
    <input type="password" autocomplete="off" placeholder="admin token" data-testid="token-input" value=${token} onInput=${(e: Event) => setToken((e.target as HTMLInputElement).value)} />
    <button type="submit" data-testid="token-submit">Open the dashboard</button>
    ${message && html`<p class="error" role="alert" data-testid="token-error">${message}</p>`}
  </form>`;
}

function Dashboard({ onUnauthorized }: { onUnauthorized: () => void }) {
  const [, setVersion] = useState(0);
  const [now, setNow] = useState(Date.now());
  const [selected, setSelected] = useState<string | null>(null);
  useEffect(() => store.subscribe(() => setVersion((v) => v + 1)), []);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  useEffect(() => {
    const controller = new AbortController();
    void follow(controller.signal, onUnauthorized);
    return () => controller.abort();
  }, []);
  const [target, setTarget] = useState('');
  return html`<main>
    <header>
      <h1>wsmock</h1>
      <span class=${store.live ? 'live' : 'muted'} data-testid="stream-status">${store.live ? 'live' : 'connecting…'}</span>
    </header>
    <${StatsCards} stats=${store.stats} rates=${store.rates} />
    <div class="columns">
      <div class="main-column">
        <${Mocks} api=${api} mocks=${store.mocks} conns=${store.conns} />
        <${Connections} conns=${store.conns} mocks=${store.mocks} selected=${selected} onSelect=${setSelected} now=${now} />
      </div>
      <div class="side-column">
        ${selected
          ? html`<${Detail} api=${api} id=${selected} conn=${store.conns.get(selected)} closed=${store.closed.get(selected)} />`
          : html`<section class="panel"><h2>Connection</h2><p class="muted">Select a connection to see its frames, send to it or close it.</p></section>`}
        <section class="panel">
          <h2>Broadcast</h2>
          <div class="toolbar">
            <select data-testid="broadcast-mock" value=${target} onChange=${(e: Event) => setTarget((e.target as HTMLSelectElement).value)} aria-label="broadcast to">
              <option value="">every open connection</option>
              ${[...store.mocks.keys()].map((id) => html`<option value=${id}>mock ${id}</option>`)}
            </select>
          </div>
          <${SendBox} testid="broadcast" label="Broadcast" onSend=${async (body: Record<string, unknown>) => {
            const r = await api.call<{ recipients: number }>('POST', '/websocket/broadcast', { ...body, ...(target ? { mockId: target } : {}) });
            return `Sent to ${r.recipients} connection(s).`;
          }} />
        </section>
      </div>
    </div>
  </main>`;
}

function App() {
  const [state, setState] = useState<'checking' | 'token' | 'ok' | 'down'>('checking');
  const [message, setMessage] = useState('');
  const check = async (given: boolean) => {
    try {
      await api.call('GET', '/health');
      setState('ok');
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setMessage(api.token ? `The token was refused (401): ${err.message}` : '');
        if (given || api.token) sessionStorage.removeItem(TOKEN_KEY);
        setState('token');
      } else {
        setMessage(`Cannot reach the admin API: ${(err as Error).message}`);
        setState('down');
      }
    }
  };
  useEffect(() => void check(false), []);
  if (state === 'checking') return html`<p class="muted">Connecting…</p>`;
  if (state === 'down') return html`<p class="error" role="alert">${message}</p>`;
  if (state === 'token')
    return html`<${TokenGate} message=${message} onToken=${(token: string) => {
      api.token = token;
      sessionStorage.setItem(TOKEN_KEY, token);
      void check(true);
    }} />`;
  return html`<${Dashboard} onUnauthorized=${() => {
    api.token = null;
    setMessage('The token is no longer accepted (401).');
    setState('token');
  }} />`;
}

render(html`<${App} />`, document.getElementById('app')!);
