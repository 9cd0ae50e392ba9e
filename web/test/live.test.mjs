import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { KEEP_CLEARED_MS, LiveFeed, SUBSCRIBE_DEBOUNCE_MS, mergeAlert, sameBbox, viewBbox } from '../src/live.js';
import { TEXT } from '../src/model.js';

const rad = (deg) => (deg * Math.PI) / 180;
const rect = (w, s, e, n) => ({ west: rad(w), south: rad(s), east: rad(e), north: rad(n) });

test('viewBbox pads the view rectangle by a quarter of its span on each side, in degrees', () => {
  const b = viewBbox(rect(106.6, 26.4, 106.8, 26.6));
  const expected = [106.55, 26.35, 106.85, 26.65];
  for (let i = 0; i < 4; i++) assert.ok(Math.abs(b[i] - expected[i]) < 1e-9, `${b} vs ${expected}`);
});

test('viewBbox is null (everything) for sky, the antimeridian and continent-sized views', () => {
  assert.equal(viewBbox(undefined), null);
  assert.equal(viewBbox(rect(179, 0, -179, 1)), null);
  assert.equal(viewBbox(rect(90, 10, 120, 40)), null);
});

test('viewBbox clamps to the globe', () => {
  const b = viewBbox(rect(-180, -90, -175, -85), 0.5);
  assert.deepEqual([b[0], b[1]], [-180, -90]);
});

test('sameBbox compares edges within the tolerance and nulls by identity', () => {
  assert.ok(sameBbox([1, 2, 3, 4], [1, 2, 3, 4 + 1e-6]));
  assert.ok(!sameBbox([1, 2, 3, 4], [1, 2, 3, 4.1]));
  assert.ok(sameBbox(null, null));
  assert.ok(!sameBbox(null, [1, 2, 3, 4]));
});

const alert = (id, state, extra = {}) => ({ id, state, severity: 'warning', kind: 'zone_incursion', ...extra });

test('mergeAlert replaces an alert where it is and appends a new one', () => {
  const list = [alert('a', 'raised'), alert('b', 'raised'), alert('c', 'raised')];
  const out = mergeAlert(list, alert('b', 'updated', { severity: 'caution' }), Date.now());
  assert.deepEqual(out.map((a) => `${a.id}:${a.state}`), ['a:raised', 'b:updated', 'c:raised']);
  assert.equal(out[1].severity, 'caution');
  assert.equal(list[1].state, 'raised', 'the input is not changed');
  assert.deepEqual(mergeAlert(list, alert('d', 'raised'), Date.now()).map((a) => a.id), ['a', 'b', 'c', 'd']);
});

test('mergeAlert keeps a cleared alert in the list, then drops it once its clearing is older than the window', () => {
  const now = Date.parse('2026-11-27T12:00:00Z');
  let list = mergeAlert([alert('a', 'raised')], alert('a', 'cleared', { clearedUtc: '2026-11-27T12:00:00Z' }), now);
  assert.deepEqual(list.map((a) => `${a.id}:${a.state}`), ['a:cleared']);
  list = mergeAlert(list, alert('b', 'raised'), now + KEEP_CLEARED_MS - 1);
  assert.deepEqual(list.map((a) => a.id), ['a', 'b']);
  list = mergeAlert(list, alert('b', 'updated'), now + KEEP_CLEARED_MS + 1);
  assert.deepEqual(list.map((a) => a.id), ['b']);
});

test('every connection state has its text in both languages', () => {
  for (const lang of ['zh', 'en']) {
    for (const key of ['liveConnecting', 'liveLive', 'liveReconnecting', 'livePolling']) assert.ok(TEXT[lang][key], `${lang}.${key}`);
  }
});

/** A stand-in for window.signalR: records invocations; start() succeeds or throws as told. */
function fakeSignalR({ failStart = false } = {}) {
  const made = [];
  class Connection {
    constructor(url, options) {
      this.url = url;
      this.options = options;
      this.handlers = {};
      this.invocations = [];
      this.state = 'Disconnected';
      made.push(this);
    }
    on(name, fn) { this.handlers[name] = fn; }
    onreconnecting(fn) { this.reconnecting = fn; }
    onreconnected(fn) { this.reconnected = fn; }
    onclose(fn) { this.closed = fn; }
    async start() {
      if (failStart) throw new Error('negotiation failed');
      this.state = 'Connected';
    }
    async stop() { this.state = 'Disconnected'; }
    async invoke(name, ...args) { this.invocations.push([name, ...args]); }
  }
  class HubConnectionBuilder {
    withUrl(url, options) { this.url = url; this.options = options; return this; }
    withAutomaticReconnect() { return this; }
    configureLogging() { return this; }
    build() { return new Connection(this.url, this.options); }
  }
  return { made, ns: { HubConnectionBuilder, LogLevel: { None: 6 }, HubConnectionState: { Disconnected: 'Disconnected' } } };
}

test('LiveFeed subscribes once to the last box after the camera settles, and routes pushed messages', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const fake = fakeSignalR();
    const states = [];
    const tracks = [];
    const alerts = [];
    let connected = 0;
    const feed = new LiveFeed({
      signalR: fake.ns, url: '/hubs/supervision', onState: (s) => states.push(s), onTracks: (t) => tracks.push(t), onAlert: (a) => alerts.push(a), onConnected: () => { connected++; },
    });
    assert.equal(await feed.start(), true);
    assert.equal(feed.live, true);
    assert.deepEqual(states, ['live']);
    assert.equal(connected, 1);
    const conn = fake.made[0];
    assert.deepEqual(conn.invocations, [['Subscribe', null, null, null, null]], 'no box yet: everything');

    // Three camera moves in quick succession: one Subscribe with the last box.
    feed.subscribe([1, 1, 2, 2]);
    mock.timers.tick(SUBSCRIBE_DEBOUNCE_MS / 2);
    feed.subscribe([1, 1, 3, 3]);
    mock.timers.tick(SUBSCRIBE_DEBOUNCE_MS / 2);
    feed.subscribe([106.5, 26.4, 106.9, 26.7]);
    mock.timers.tick(SUBSCRIBE_DEBOUNCE_MS);
    await Promise.resolve();
    assert.deepEqual(conn.invocations.slice(1), [['Subscribe', 106.5, 26.4, 106.9, 26.7]]);
    // The same box again sends nothing.
    feed.subscribe([106.5, 26.4, 106.9, 26.7]);
    mock.timers.tick(SUBSCRIBE_DEBOUNCE_MS);
    await Promise.resolve();
    assert.equal(conn.invocations.length, 2);

    conn.handlers.tracks([{ aircraftId: 'D1' }]);
    conn.handlers.alert({ id: 'A1', state: 'raised' });
    assert.deepEqual(tracks, [[{ aircraftId: 'D1' }]]);
    assert.deepEqual(alerts, [{ id: 'A1', state: 'raised' }]);
    assert.deepEqual(feed.describe().messages, { tracks: 1, alert: 1 });

    // A dropped connection: reconnecting (the console polls), then live again with the box sent anew.
    conn.reconnecting();
    assert.equal(feed.live, false);
    await conn.reconnected();
    assert.equal(feed.live, true);
    assert.deepEqual(conn.invocations.at(-1), ['Subscribe', 106.5, 26.4, 106.9, 26.7]);
    assert.equal(connected, 2);
    assert.deepEqual(states, ['live', 'reconnecting', 'live']);
    await feed.stop();
  } finally {
    mock.timers.reset();
  }
});

test('LiveFeed falls back to polling when the hub cannot be reached, and without the client at all', async () => {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    const fake = fakeSignalR({ failStart: true });
    const errors = [];
    const feed = new LiveFeed({ signalR: fake.ns, url: '/hubs/supervision', onError: (e) => errors.push(e.message) });
    assert.equal(await feed.start(), false);
    assert.equal(feed.state, 'polling');
    assert.deepEqual(errors, ['negotiation failed']);
    feed.subscribe([1, 1, 2, 2]);
    mock.timers.tick(SUBSCRIBE_DEBOUNCE_MS);
    assert.deepEqual(fake.made[0].invocations, [], 'nothing is invoked on a connection that is not there');
    await feed.stop();

    const none = new LiveFeed({ signalR: undefined, url: '/hubs/supervision' });
    assert.equal(await none.start(), false);
    assert.equal(none.state, 'polling');
  } finally {
    mock.timers.reset();
  }
});

test('LiveFeed sends the signed-in token only when there is one', async () => {
  const fake = fakeSignalR();
  let token = null;
  const feed = new LiveFeed({ signalR: fake.ns, url: '/hubs/supervision', token: () => token });
  await feed.start();
  const factory = fake.made[0].options.accessTokenFactory;
  assert.equal(factory(), '');
  token = 'abc';
  assert.equal(factory(), 'abc');
  await feed.stop();
});
