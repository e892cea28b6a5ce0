// The module under test: a chat client that joins a room, answers pings and
// reports what it hears.
const WebSocket = require('ws');

function connectChat(url, { user, room }) {
  const heard = [];
  const ws = new WebSocket(`${url}?user=${encodeURIComponent(user)}`);
  const opened = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('error', reject);
  });
  ws.on('open', () => ws.send(JSON.stringify({ type: 'join', room, user })));
  ws.on('message', (data) => {
    const message = JSON.parse(String(data));
    if (message.type === 'ping') ws.send(JSON.stringify({ type: 'pong', id: message.id }));
    if (message.type === 'say') heard.push(`${message.from}: ${message.text}`);
  });
  return {
    opened,
    heard,
    say: (text) => opened.then(() => ws.send(JSON.stringify({ type: 'say', room, text }))),
    leave: () => opened.then(() => ws.close(4000, 'left')),
  };
}

module.exports = { connectChat };
