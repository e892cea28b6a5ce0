// Bench-only probe, loaded into `wsmock serve` by the soak scenario with
//   node --expose-gc --require bench/soak-probe.cjs dist/cli.js serve ...
// (forked with an IPC channel), so the product runs unchanged:
// - { type: 'memory' } runs a full GC and answers with process.memoryUsage();
// - when run.mjs disconnects (at the end, or because it died), the probe sends
//   SIGTERM to its own process: serve's ordinary graceful shutdown.
'use strict';

process.on('message', (message) => {
  if (message && message.type === 'memory') {
    global.gc();
    global.gc();
    process.send({ type: 'memory', usage: process.memoryUsage() });
  }
});
process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
// The channel must not keep serve alive by itself: serve exits when it has closed.
process.channel.unref();
