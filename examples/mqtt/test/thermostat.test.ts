import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMockServer, type MockServer } from 'wsmock';
import { openDashboard, type Dashboard } from '../src/thermostat.js';

let server: MockServer;
let dashboard: Dashboard | undefined;
beforeAll(async () => {
  server = await createMockServer();
});
afterEach(async () => {
  await dashboard?.client.endAsync(true);
  dashboard = undefined;
  await server.reset();
});
afterAll(() => server.close());

/** Resolves with the next reading the dashboard shows. */
const nextReading = (d: Dashboard) => new Promise<[string, number]>((resolve) => d.onReading((room, celsius) => resolve([room, celsius])));

it('shows the retained readings at once, then each new one the sensors publish', async () => {
  const broker = server.mqtt('/mqtt', { retained: { 'home/kitchen/temperature': '21.5', 'home/attic/temperature': '14' } });
  dashboard = await openDashboard(broker.url, 'dash-1');
  const conn = await broker.waitForConnection();
  expect(conn.clientId).toBe('dash-1');
  expect(conn.will).toMatchObject({ topic: 'dashboards/dash-1/status', retain: true });
  await expect.poll(() => dashboard!.temperatures.size).toBe(2);
  expect(dashboard.temperatures.get('kitchen')).toBe(21.5);

  const reading = nextReading(dashboard);
  broker.publish('home/bedroom/temperature', '19.25', { qos: 1 });
  expect(await reading).toEqual(['bedroom', 19.25]);
  expect(broker.retained.get('dashboards/dash-1/status')?.payload.toString()).toBe('online');
});

it('sends a set-point to the thermostat, which answers with the new reading', async () => {
  const broker = server.mqtt('/mqtt', {
    // The thermostat, as a declarative reply: a set-point is answered with the reading it reaches.
    topics: { 'home/+/setpoint': { reply: { topic: 'home/{{levels.1}}/temperature', payload: '{{json.celsius}}' } } },
  });
  dashboard = await openDashboard(broker.url, 'dash-2');
  const reading = nextReading(dashboard);
  await dashboard.setPoint('living', 22);
  const sent = await broker.waitForPublish('home/+/setpoint');
  expect(sent).toMatchObject({ topic: 'home/living/setpoint', qos: 1, json: { celsius: 22 }, clientId: 'dash-2' });
  expect(await reading).toEqual(['living', 22]);
});

it('the house sees the dashboard go offline when it drops, and it keeps reading after reconnecting', async () => {
  const broker = server.mqtt('/mqtt');
  dashboard = await openDashboard(broker.url, 'dash-3');
  const conn = await broker.waitForConnection();
  // An abrupt drop: the broker publishes the will, retained.
  await conn.connection.terminate();
  await expect.poll(() => broker.retained.get('dashboards/dash-3/status')?.payload.toString()).toBe('offline');
  // mqtt.js reconnects by itself; the dashboard subscribes again and says it is back.
  const again = await broker.waitForConnection();
  expect(again.clientId).toBe('dash-3');
  await broker.waitForSubscribe('home/+/temperature'); // the first connection's
  await broker.waitForSubscribe('home/+/temperature'); // the reconnected one's
  const reading = nextReading(dashboard);
  broker.publish('home/hall/temperature', '18');
  expect(await reading).toEqual(['hall', 18]);
});
