// The module under test: subscribes to a user's notifications and acknowledges
// each one, reconnecting when the server restarts (close 1012).
import WebSocket from 'ws';

export function watchNotifications(url, { onNotification }) {
  let ws;
  let stopped = false;
  const open = () => {
    ws = new WebSocket(url, 'notify.v1');
    ws.on('message', (data) => {
      const note = JSON.parse(String(data));
      onNotification(note);
      ws.send(JSON.stringify({ type: 'ack', id: note.id }));
    });
    ws.on('close', (code) => {
      if (!stopped && code === 1012) open();
    });
    ws.on('error', () => {});
  };
  open();
  return {
    stop() {
      stopped = true;
      ws.close();
    },
  };
}
