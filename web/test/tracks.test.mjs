import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TrackStore, geodeticToEcef } from '../src/model.js';
import { TrackLayer } from '../src/tracks.js';

const track = (id, lon, lat, extra = {}) => ({ aircraftId: id, lonDeg: lon, latDeg: lat, altW84M: 1200, altAglM: 100, conformance: 'conforming', ...extra });

/** Just enough of Cesium for TrackLayer: points and labels as plain objects that count their setter calls. */
function fakeCesium() {
  class Point {
    constructor(o) {
      Object.assign(this, { show: true, id: undefined, color: undefined }, o);
      this._position = { x: 0, y: 0, z: 0 };
      this.positionWrites = 0;
      this.colourWrites = 0;
    }
    get position() { return this._position; }
    set position(v) { this._position = { x: v.x, y: v.y, z: v.z }; this.positionWrites++; }
  }
  class Collection {
    constructor() { this.items = []; this.show = true; }
    add(o) { const p = new Point(o); this.items.push(p); return p; }
    get length() { return this.items.length; }
  }
  const colour = (css) => ({ css });
  return {
    PointPrimitiveCollection: Collection,
    LabelCollection: Collection,
    Cartesian3: class { constructor() { this.x = 0; this.y = 0; this.z = 0; } },
    Cartesian2: class { constructor(x, y) { this.x = x; this.y = y; } },
    Color: { BLACK: colour('black'), WHITE: colour('white'), fromCssColorString: colour },
    LabelStyle: { FILL_AND_OUTLINE: 2 },
    Ellipsoid: { WGS84: {} },
  };
}

function layer() {
  const scene = { primitives: { add: (c) => c }, canvas: { clientWidth: 100, clientHeight: 100 }, camera: { pickEllipsoid: () => undefined } };
  return new TrackLayer(fakeCesium(), scene);
}

test('TrackStore flags as moved only the new tracks and those whose position changed', () => {
  const s = new TrackStore(4);
  s.apply([track('A', 0, 0, { altW84M: 0 }), track('B', 2, 3)]);
  assert.deepEqual([s.moved[s.slots.get('A')], s.moved[s.slots.get('B')]], [1, 1], 'new ones move, even at 0/0/0');
  s.apply([track('A', 0, 0, { altW84M: 0 }), track('B', 2, 3.001)]);
  assert.deepEqual([s.moved[s.slots.get('A')], s.moved[s.slots.get('B')]], [0, 1]);
  // A different order (the slot hint misses) finds the same slots.
  s.apply([track('B', 2, 3.001), track('A', 0, 0, { altW84M: 5 })]);
  assert.deepEqual([s.slots.get('A'), s.slots.get('B')], [0, 1]);
  assert.deepEqual([s.moved[0], s.moved[1]], [1, 0]);
  // Gone for one picture and back: moved again even at the same place.
  s.apply([track('B', 2, 3.001)]);
  s.apply([track('B', 2, 3.001), track('A', 0, 0, { altW84M: 5 })]);
  assert.equal(s.moved[s.slots.get('A')], 1);
});

test('TrackStore reads conformance names to their index, unknown ones as none', () => {
  const s = new TrackStore(4);
  s.apply(['conforming', 'nonconforming', 'contingent', 'none', 'bogus'].map((c, i) => track(`C${i}`, i, 0, { conformance: c })));
  assert.deepEqual([...s.conformance.slice(0, 5)], [0, 1, 2, 3, 3]);
});

test('TrackLayer places every point at the ECEF of its track and writes only what changed', () => {
  const l = layer();
  const pictures = (k) => Array.from({ length: 300 }, (_, i) => track(`T${i}`, 106.5 + i * 1e-3 + (i % 2 ? k * 1e-4 : 0), 26.4 + i * 1e-3, { altW84M: 1000 + i }));
  l.update(pictures(0));
  l.update(pictures(1));
  const points = l.points.items;
  assert.equal(points.length, 300);
  for (let i = 0; i < 300; i++) {
    const t = pictures(1)[i];
    const p = points[l.store.slots.get(t.aircraftId)];
    const e = geodeticToEcef(t.lonDeg, t.latDeg, t.altW84M, {});
    assert.ok(Math.hypot(p.position.x - e.x, p.position.y - e.y, p.position.z - e.z) < 1e-6, `T${i}`);
    assert.equal(p.id, t.aircraftId);
    // Even tracks stood still in the second picture: written once; odd ones twice.
    assert.equal(p.positionWrites, i % 2 ? 2 : 1, `T${i}`);
  }
  assert.equal(l.state().showing, 300);
});

test('TrackLayer recolours a point only when its conformance changes, and filters by the band (no AGL passes)', () => {
  const l = layer();
  l.update([track('A', 106.6, 26.5), track('B', 106.61, 26.5, { altAglM: null })]);
  const a = l.points.items[l.store.slots.get('A')];
  let writes = 0;
  let colour = a.color;
  Object.defineProperty(a, 'color', { get: () => colour, set: (v) => { colour = v; writes++; } });
  l.update([track('A', 106.6, 26.5), track('B', 106.61, 26.5, { altAglM: null })]);
  assert.equal(writes, 0);
  l.update([track('A', 106.6, 26.5, { conformance: 'nonconforming' }), track('B', 106.61, 26.5, { altAglM: null })]);
  assert.equal(writes, 1);
  assert.equal(colour.css, l.colours[1].css);

  l.band = { minM: 150, maxM: 200 };
  l.update([track('A', 106.6, 26.5), track('B', 106.61, 26.5, { altAglM: null })]);
  assert.equal(a.show, false, 'A at 100 m AGL is outside 150–200 m');
  assert.equal(l.points.items[l.store.slots.get('B')].show, true, 'B has no AGL height');
  l.band = null;
  l.update([track('A', 106.6, 26.5)]);
  assert.equal(a.show, true);
  assert.equal(l.points.items[1].show, false, "B's slot is free: hidden");
});
