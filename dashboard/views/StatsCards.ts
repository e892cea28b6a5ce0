import { html } from 'htm/preact';
import { bytes, count } from '../format.js';
import { RATE_SAMPLES, type Stats } from '../store.js';

function Chart({ rates, empty }: { rates: number[]; empty: boolean }) {
  const w = 240;
  const h = 48;
  const max = Math.max(1, ...rates);
  // Until a minute of samples is in, what there is spans the width.
  const step = w / Math.max(1, Math.min(rates.length, RATE_SAMPLES) - 1);
  const offset = 0;
  const points = rates.map((r, i) => `${((offset + i) * step).toFixed(1)},${(h - (r / max) * (h - 4) - 2).toFixed(1)}`).join(' ');
  // Before any traffic the chart still reads as one: its axes, and why it is flat.
  return html`<svg class="chart" viewBox="0 0 ${w} ${h}" width=${w} height=${h} role="img" aria-label="messages per second, last minute">
    <line class="axis" data-testid="chart-axis" x1="0.5" y1="0" x2="0.5" y2=${h - 0.5} />
    <line class="axis" x1="0" y1=${h - 0.5} x2=${w} y2=${h - 0.5} />
    ${rates.length > 1 && html`<polygon points=${`${(offset * step).toFixed(1)},${h} ${points} ${w},${h}`} fill="currentColor" fill-opacity="0.12" />`}
    <polyline points=${points} fill="none" stroke="currentColor" stroke-width="1.5" />
    ${empty && html`<text class="empty" data-testid="chart-empty" x=${w / 2} y=${h / 2 + 4} text-anchor="middle">no messages yet</text>`}
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
      <div class="chart-row"><${Chart} rates=${rates} empty=${!s || s.totalMessagesSent + s.totalMessagesRecv === 0} /><span class="value" data-testid="stat-rate">${count(now)}/s</span></div>
    </div>
  </section>`;
}
