import { html } from 'htm/preact';
import { bytes, count } from '../format.js';
import { RATE_SAMPLES, type Stats } from '../store.js';

function Chart({ rates }: { rates: number[] }) {
  const w = 240;
  const h = 48;
  const max = Math.max(1, ...rates);
  // Until a minute of samples is in, what there is spans the width.
  const step = w / Math.max(1, Math.min(rates.length, RATE_SAMPLES) - 1);
  const offset = 0;
  const points = rates.map((r, i) => `${((offset + i) * step).toFixed(1)},${(h - (r / max) * (h - 4) - 2).toFixed(1)}`).join(' ');
  return html`<svg class="chart" viewBox="0 0 ${w} ${h}" width=${w} height=${h} role="img" aria-label="messages per second, last minute">
    ${rates.length > 1 && html`<polygon points=${`${(offset * step).toFixed(1)},${h} ${points} ${w},${h}`} fill="currentColor" fill-opacity="0.12" />`}
    <polyline points=${points} fill="none" stroke="currentColor" stroke-width="1.5" />
  </svg>`;
}

export function StatsCards({ stats, rates }: { stats: Stats | null; rates: number[] }) {
  const s = stats;
  const card = (label: string, value: string, id: string) =>
    html`<div class="card"><div class="label">${label}</div><div class="value" data-testid=${id}>${value}</div></div>`;
  const now = rates.length ? rates[rates.length - 1]! : 0;
  return html`<section class="cards">
    ${card('Active connections', s ? count(s.activeConnections) : '–', 'stat-active')}
    ${card('Total connections', s ? count(s.totalConnections) : '–', 'stat-total')}
    ${card('Messages in', s ? count(s.totalMessagesRecv) : '–', 'stat-msgs-in')}
    ${card('Messages out', s ? count(s.totalMessagesSent) : '–', 'stat-msgs-out')}
    ${card('Bytes in', s ? bytes(s.totalBytesRecv) : '–', 'stat-bytes-in')}
    ${card('Bytes out', s ? bytes(s.totalBytesSent) : '–', 'stat-bytes-out')}
    <div class="card wide">
      <div class="label">Messages per second, last minute (max ${count(Math.max(0, ...rates))})</div>
      <div class="chart-row"><${Chart} rates=${rates} /><span class="value" data-testid="stat-rate">${count(now)}/s</span></div>
    </div>
  </section>`;
}
