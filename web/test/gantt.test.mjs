import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  MAX_SPAN_MS, MIN_SPAN_MS, STATE_COLOURS, barAt, buildRows, fitView, intentSpan, intentWindows, layoutGantt, packLanes, panView,
  stateColour, ticks, timeScale, zoomView,
} from '../src/gantt.js';

const T0 = Date.parse('2026-11-28T00:00:00Z');
const min = 60_000;
const iso = (ms) => new Date(ms).toISOString();
const intent = (id, aircraftId, state, windows) => ({
  id, aircraftId, state, volumes: windows.map(([s, e]) => ({ start: iso(T0 + s * min), end: iso(T0 + e * min) })),
});

// A small seeded generator (mulberry32) for the property tests: the same cases every run.
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('intentWindows sorts by start and drops volumes without a valid window', () => {
  const i = { id: 'a', volumes: [{ start: iso(T0 + 10 * min), end: iso(T0 + 20 * min) }, { start: 'nope', end: iso(T0) }, { start: iso(T0), end: iso(T0 + 5 * min) }, { start: iso(T0 + 9 * min), end: iso(T0 + 9 * min) }] };
  assert.deepEqual(intentWindows(i).map((w) => w.index), [2, 0]);
  assert.deepEqual(intentSpan(i), { startMs: T0, endMs: T0 + 20 * min });
  assert.equal(intentSpan({ id: 'b', volumes: [] }), null);
  assert.deepEqual(intentWindows(null), []);
});

test('stateColour knows every state the API names and greys unknown ones', () => {
  for (const s of ['DRAFT', 'SUBMITTED', 'ACCEPTED', 'REJECTED', 'ACTIVATED', 'NONCONFORMING', 'CONTINGENT', 'ENDED', 'WITHDRAWN', 'CANCELLED']) {
    assert.equal(stateColour(s), STATE_COLOURS[s], s);
  }
  assert.equal(stateColour('accepted'), STATE_COLOURS.ACCEPTED);
  assert.equal(stateColour('WHATEVER'), '#90a4ae');
  assert.notEqual(stateColour('NONCONFORMING'), stateColour('ACCEPTED'));
});

test('packLanes: touching intervals share a lane, overlapping ones do not', () => {
  const r = packLanes([{ startMs: 0, endMs: 10 }, { startMs: 10, endMs: 20 }, { startMs: 5, endMs: 15 }]);
  assert.deepEqual(r.lanes, [0, 0, 1]);
  assert.equal(r.count, 2);
  assert.deepEqual(packLanes([]), { lanes: [], count: 0 });
});

test('packLanes property: lanes never overlap and their number is the brute-force maximum overlap', () => {
  const next = rng(7);
  for (let c = 0; c < 300; c++) {
    const n = 1 + Math.floor(next() * 25);
    const items = Array.from({ length: n }, () => {
      const s = Math.floor(next() * 100);
      return { startMs: s, endMs: s + 1 + Math.floor(next() * 30) };
    });
    const { lanes, count } = packLanes(items);
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (lanes[i] !== lanes[j]) continue;
        const overlap = items[i].startMs < items[j].endMs && items[j].startMs < items[i].endMs;
        assert.ok(!overlap, `case ${c}: items ${i} and ${j} overlap in lane ${lanes[i]}`);
      }
    }
    // Brute force: the most intervals covering one instant (checked at every start, half-open intervals).
    let most = 0;
    for (const a of items) most = Math.max(most, items.filter((b) => b.startMs <= a.startMs && a.startMs < b.endMs).length);
    assert.equal(count, most, `case ${c}`);
  }
});

test('buildRows by intent: one row per intent with windows, in start order', () => {
  const rows = buildRows([intent('b', 'UA-2', 'ACCEPTED', [[60, 70]]), intent('a', 'UA-1', 'ACCEPTED', [[0, 10], [5, 15]]), { id: 'c', aircraftId: 'X', state: 'DRAFT', volumes: [] }]);
  assert.deepEqual(rows.map((r) => r.key), ['a', 'b']);
  assert.equal(rows[0].items[0].windows.length, 2);
  assert.match(rows[0].label, /^UA-1 · a/);
});

test('buildRows by aircraft: one row per aircraft, overlapping intents in separate lanes', () => {
  const rows = buildRows([
    intent('1', 'UA-1', 'ACCEPTED', [[0, 30]]),
    intent('2', 'UA-1', 'ACCEPTED', [[20, 40]]),
    intent('3', 'UA-1', 'ACCEPTED', [[40, 50]]),
    intent('4', 'UA-0', 'ACCEPTED', [[100, 110]]),
  ], 'aircraft');
  assert.deepEqual(rows.map((r) => [r.key, r.lanes]), [['UA-1', 2], ['UA-0', 1]]);
  const lanes = Object.fromEntries(rows[0].items.map((i) => [i.intent.id, i.lane]));
  assert.deepEqual(lanes, { 1: 0, 2: 1, 3: 0 });
  assert.throws(() => buildRows([], 'pilot'), /groupBy/);
});

test('timeScale maps the view onto the width and back', () => {
  const s = timeScale({ startMs: T0, endMs: T0 + 60 * min }, 600);
  assert.equal(s.x(T0), 0);
  assert.equal(s.x(T0 + 30 * min), 300);
  assert.equal(s.ms(600), T0 + 60 * min);
  assert.throws(() => timeScale({ startMs: T0, endMs: T0 }, 600), /endMs > startMs/);
});

test('zoomView keeps the anchor in place and holds the span within its limits', () => {
  const view = { startMs: T0, endMs: T0 + 120 * min };
  const anchor = T0 + 30 * min;
  const z = zoomView(view, 0.5, anchor);
  assert.equal(z.endMs - z.startMs, 60 * min);
  // The anchor sits at the same fraction (a quarter) of the view before and after.
  assert.equal((anchor - z.startMs) / (z.endMs - z.startMs), 0.25);
  assert.equal(zoomView(view, 1e-6, anchor).endMs - zoomView(view, 1e-6, anchor).startMs, MIN_SPAN_MS);
  assert.equal(zoomView(view, 1e6, anchor).endMs - zoomView(view, 1e6, anchor).startMs, MAX_SPAN_MS);
  assert.throws(() => zoomView(view, 0, anchor), /factor/);
  assert.deepEqual(panView(view, 10 * min), { startMs: T0 + 10 * min, endMs: T0 + 130 * min });
});

test('fitView covers every window with a margin', () => {
  const v = fitView([intent('a', 'A', 'ACCEPTED', [[60, 120]]), intent('b', 'B', 'ACCEPTED', [[300, 360]])]);
  assert.ok(v.startMs < T0 + 60 * min && v.endMs > T0 + 360 * min);
  assert.equal(fitView([]), null);
});

test('ticks pick a nice step, stay minGapPx apart and label Beijing midnights with the date', () => {
  const view = { startMs: T0 - 8 * 3600_000 - 3 * 3600_000, endMs: T0 - 8 * 3600_000 + 3 * 3600_000 }; // 13:00–19:00 UTC around 00:00 CST
  const t = ticks(view, 600, { minGapPx: 64, offsetMin: 480 });
  assert.ok(t.length >= 4);
  for (let i = 1; i < t.length; i++) assert.ok(t[i].x - t[i - 1].x >= 64 - 1e-9);
  const midnight = t.find((k) => k.major);
  assert.ok(midnight, 'a tick at local midnight');
  assert.equal(midnight.label, '11-28');
  assert.equal(midnight.ms, T0 - 8 * 3600_000);
  assert.equal(ticks({ startMs: T0, endMs: T0 + 10 * min }, 1000, { minGapPx: 50 })[0].label, '00:00');
});

test('layoutGantt: one bar per window in view, clipped, coloured, pending and selected flagged, lines placed', () => {
  const intents = [
    intent('a', 'UA-1', 'ACCEPTED', [[0, 10], [10, 20]]),
    intent('b', 'UA-2', 'SUBMITTED', [[50, 70]]),
    intent('c', 'UA-3', 'NONCONFORMING', [[500, 510]]),
  ];
  const view = { startMs: T0 + 5 * min, endMs: T0 + 65 * min };
  const g = layoutGantt(intents, view, { widthPx: 600, pendingIds: new Set(['b']), selectedId: 'a', nowMs: T0 + 35 * min, cursorMs: T0 + 200 * min });
  assert.equal(g.rows.length, 3);
  assert.equal(g.bars.length, 3, 'c is outside the view');
  const [a0, a1, b] = g.bars;
  assert.equal(a0.x, 0);
  assert.equal(a0.w, 50);
  assert.equal(a1.x, 50);
  assert.equal(b.x, 450);
  assert.equal(b.w, 150, 'clipped at the right edge');
  assert.equal(b.colour, STATE_COLOURS.SUBMITTED);
  assert.ok(b.pending && !a0.pending);
  assert.ok(a0.selected && !b.selected);
  assert.ok(b.y > a0.y);
  assert.equal(g.nowX, 300);
  assert.equal(g.cursorX, null);
  assert.equal(g.heightPx, g.rows.reduce((s, r) => s + r.h, 0));
  assert.equal(barAt(g, 460, b.y + 1).intentId, 'b');
  assert.equal(barAt(g, 460, a0.y + 1), null);
});
