const url = new URLSearchParams(location.search).get('ws');
const status = document.querySelector('[data-testid=status]');
const list = document.querySelector('[data-testid=messages]');
const form = document.querySelector('[data-testid=form]');

const socket = new WebSocket(url);
socket.addEventListener('open', () => {
  status.textContent = 'open';
  socket.send(JSON.stringify({ type: 'hello', userAgent: navigator.userAgent }));
});
socket.addEventListener('message', (event) => {
  const message = JSON.parse(event.data);
  const item = document.createElement('li');
  item.textContent = message.type === 'chat' ? `${message.from}: ${message.text}` : JSON.stringify(message);
  list.append(item);
});
socket.addEventListener('close', (event) => {
  status.textContent = `closed ${event.code}${event.reason ? ` ${event.reason}` : ''}`;
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = form.elements.namedItem('text');
  socket.send(JSON.stringify({ type: 'chat', text: input.value }));
  input.value = '';
});
