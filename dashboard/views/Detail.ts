// One connection: its frames live (a stream of its own, with payloads), a send
// box and a close form. At most MAX_FRAMES are kept and SHOWN_FRAMES drawn, so
// a connection at 1,000 frames a second keeps the page responsive.
import { html } from 'htm/preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Api } from '../api.js';
import { clock, compactText, hex, hexLine, pretty } from '../format.js';
import type { ClosedInfo, ConnInfo, FrameEvent } from '../store.js';
import { SendBox } from './SendBox.js';

const MAX_FRAMES = 1000;
const SHOWN_FRAMES = 200;

// A frame is one line (direction, time, kind, size, the payload compact and
// cut at the panel's edge) until it is clicked: then its payload shows in full,
// JSON pretty-printed, binary as hex 16 bytes a line. So a panel of small JSON
// frames shows a dozen of them, not three.
function Frame({ frame }: { frame: FrameEvent }) {
  const [open, setOpen] = useState(false);
  let body: string;
  let line: string;
  let kind: string;
  if (frame.binary) {
    body = hex(frame.data ?? '');
    line = hexLine(frame.data ?? '');
    kind = 'binary';
  } else {
    const p = pretty(frame.data ?? '');
    body = p.text;
    line = compactText(frame.data ?? '');
    kind = p.json ? 'json' : 'text';
  }
  const toggle = () => setOpen((o) => !o);
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    e.preventDefault();
    toggle();
  };
  return html`<li class=${`frame ${frame.direction}${open ? ' open' : ''}`} data-testid="frame" data-direction=${frame.direction} data-kind=${kind} data-expanded=${String(open)}>
    <div class="frame-line" role="button" tabindex="0" aria-expanded=${open} title=${open ? 'Click to fold' : 'Click to expand'} onClick=${toggle} onKeyDown=${onKey}>
      <span class="dir">${frame.direction === 'in' ? '↓ in' : '↑ out'}</span>
      <span class="muted meta">${clock(frame.at)} · ${kind} · ${frame.size} B${frame.truncated ? ' (cut)' : ''}</span>
      ${open ? '' : html`<code class="line" data-testid="frame-body">${line}</code>`}
    </div>
    ${open && html`<pre data-testid="frame-body">${body}</pre>`}
  </li>`;
}

function CloseForm({ api, id }: { api: Api; id: string }) {
  const [code, setCode] = useState('1000');
  const [reason, setReason] = useState('');
  const [error, setError] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await api.call('DELETE', `/websocket/connections/${encodeURIComponent(id)}`, { code: Number(code), reason });
      setError('');
    } catch (err) {
      setError((err as Error).message);
    }
  };
  return html`<form class="toolbar" data-testid="close-form" onSubmit=${submit}>
    <input type="number" min="1000" max="4999" value=${code} data-testid="close-code" aria-label="close code" onInput=${(e: Event) => setCode((e.target as HTMLInputElement).value)} />
    <input type="text" placeholder="reason" value=${reason} data-testid="close-reason" aria-label="close reason" onInput=${(e: Event) => setReason((e.target as HTMLInputElement).value)} />
    <button type="submit" data-testid="close-submit">Close</button>
    ${error && html`<p class="error" role="alert" data-testid="close-error">${error}</p>`}
  </form>`;
}

export function Detail({ api, id, conn, closed }: { api: Api; id: string; conn: ConnInfo | undefined; closed: ClosedInfo | undefined }) {
  const frames = useRef<FrameEvent[]>([]);
  const [, setVersion] = useState(0);
  const [live, setLive] = useState(false);
  const [streamError, setStreamError] = useState('');
  const list = useRef<HTMLOListElement>(null);

  useEffect(() => {
    frames.current = [];
    setLive(false);
    setStreamError('');
    const controller = new AbortController();
    let scheduled = false;
    let seq = 0;
    const redraw = () => {
      if (scheduled) return;
      scheduled = true;
      requestAnimationFrame(() => {
        scheduled = false;
        setVersion((v) => v + 1);
      });
    };
    api
      .stream(
        `/events?frames=1&connection=${encodeURIComponent(id)}`,
        (event, data) => {
          if (event === 'ready') {
            setLive(true);
            // What the connection said before it was selected: its journal's newest frames, merged
            // with what the stream has brought since by their place among all frames (`seq`).
            void api
              .call<{ messages: FrameEvent[] }>('GET', `/websocket/connections/${encodeURIComponent(id)}/messages?limit=${SHOWN_FRAMES}`)
              .then(({ messages }) => {
                if (controller.signal.aborted) return;
                const last = messages.at(-1)?.seq ?? -1;
                const newer = frames.current.filter((f) => f.seq === undefined || f.seq > last);
                frames.current = [...messages.map((m) => ({ ...m, key: seq++ })), ...newer];
                redraw();
              })
              .catch(() => {
                // Closed meanwhile: the live frames are all there is.
              });
          }
          if (event !== 'message' || data.connectionId !== id) return;
          frames.current.push({ ...data, key: seq++ });
          if (frames.current.length > MAX_FRAMES) frames.current.splice(0, frames.current.length - MAX_FRAMES);
          redraw();
        },
        controller.signal,
      )
      .catch((err: Error) => {
        if (!controller.signal.aborted) setStreamError(err.message);
      })
      .finally(() => setLive(false));
    return () => controller.abort();
  }, [id]);

  useEffect(() => {
    const el = list.current;
    if (el) el.scrollTop = el.scrollHeight;
  });

  const info = conn ?? closed;
  const shown = frames.current.slice(-SHOWN_FRAMES);
  return html`<section class="panel detail" data-testid="detail" data-id=${id}>
    <h2>Connection <span class="mono">${id}</span> ${live ? html`<span class="live" data-testid="frames-live">live</span>` : html`<span class="muted">not live</span>`}</h2>
    ${info && html`<p class="muted">${info.mockId} · <span class="mono">${info.url}</span> · ${info.clientIp}${info.type ? ` · ${info.type}` : ''}</p>`}
    ${!conn && closed && html`<p class="warn" data-testid="detail-closed">Closed ${closed.code}${closed.reason ? ` "${closed.reason}"` : ''} by the ${closed.by}.</p>`}
    ${streamError && html`<p class="error" role="alert">${streamError}</p>`}
    <ol class="frames" ref=${list} data-testid="frames">
      ${shown.map((f) => html`<${Frame} key=${f.key} frame=${f} />`)}
    </ol>
    ${frames.current.length > SHOWN_FRAMES && html`<p class="muted">Showing the last ${SHOWN_FRAMES} of ${frames.current.length} frames kept.</p>`}
    ${conn &&
    html`<${SendBox} testid="send" label="Send" onSend=${async (body: unknown) => {
        await api.call('POST', `/websocket/connections/${encodeURIComponent(id)}/send`, body);
        return 'Sent.';
      }} />
      <${CloseForm} api=${api} id=${id} />`}
  </section>`;
}
