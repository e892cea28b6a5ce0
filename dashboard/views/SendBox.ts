import { html } from 'htm/preact';
import { useState } from 'preact/hooks';
import { readPayload, type PayloadType } from '../payload.js';

/** A message box: text, JSON or base64 binary, checked before anything is sent. */
export function SendBox(props: { testid: string; label: string; onSend: (body: { type: PayloadType; data: unknown }) => Promise<string> }) {
  const [type, setType] = useState<PayloadType>('text');
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [status, setStatus] = useState('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setStatus('');
    const read = readPayload(type, text);
    if ('error' in read) {
      setError(read.error);
      return;
    }
    try {
      setStatus(await props.onSend(read.body));
      setError('');
    } catch (err) {
      setError((err as Error).message);
    }
  };
  const id = props.testid;
  return html`<form class="sendbox" data-testid=${id} onSubmit=${submit}>
    <div class="toolbar">
      <select data-testid=${`${id}-type`} value=${type} onChange=${(e: Event) => setType((e.target as HTMLSelectElement).value as PayloadType)} aria-label="message type">
        <option value="text">text</option><option value="json">JSON</option><option value="binary">binary (base64)</option>
      </select>
      <button type="submit" data-testid=${`${id}-submit`}>${props.label}</button>
    </div>
    <textarea rows="3" data-testid=${`${id}-input`} value=${text} onInput=${(e: Event) => setText((e.target as HTMLTextAreaElement).value)}
      placeholder=${type === 'json' ? '{"type":"hello"}' : type === 'binary' ? 'base64, e.g. AAEC/w==' : 'message text'}></textarea>
    ${error && html`<p class="error" role="alert" data-testid=${`${id}-error`}>${error}</p>`}
    ${status && html`<p class="ok" data-testid=${`${id}-status`}>${status}</p>`}
  </form>`;
}
