import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  TrackStore, activeAt, alertCounts, circleRing, extrapolate, footprintRings, geodeticToEcef, gridLayout, gridStatus, inBand,
  occupancyAlpha, readCorridor, readIntentVolumes, sortAlerts, tracksToCsv, tracksToCzml, tracksToGeoJson, tracksToKml, windArrowEnd,
} from '../src/model.js';

const track = (id, lon, lat, extra = {}) => ({ aircraftId: id, lonDeg: lon, latDeg: lat, altW84M: 1200, altAglM: 100, altAmslM: 1170, conformance: 'conforming', lastUtc: '2026-11-27T10:00:00Z', ...extra });

test('TrackStore keeps a slot per aircraft, frees the missing ones and reuses their slots', () => {
  const s = new TrackStore(2);
  assert.equal(s.apply([track('A', 1, 2), track('B', 3, 4), track('C', 5, 6)]), 3);
  const slotB = s.slots.get('B');
  assert.ok(s.capacity >= 3);
  assert.equal(s.apply([track('A', 1.5, 2), track('C', 5, 6)]), 2);
  assert.deepEqual(s.freed, [slotB]);
  assert.equal(s.ids[slotB], null);
  assert.equal(s.lon[s.slots.get('A')], 1.5);
  assert.equal(s.apply([track('A', 1, 2), track('C', 5, 6), track('D', 7, 8)]), 3);
  assert.equal(s.slots.get('D'), slotB, 'D takes the freed slot');
  assert.equal(s.size, 3);
  assert.deepEqual(s.all().map((t) => t.aircraftId).sort(), ['A', 'C', 'D']);
  assert.equal(s.record('B'), null);
});

test('TrackStore holds 10 000 tracks with every one findable', () => {
  const s = new TrackStore(16);
  const tracks = Array.from({ length: 10_000 }, (_, i) => track(`T${i}`, 106 + i * 1e-5, 26));
  assert.equal(s.apply(tracks), 10_000);
  for (let i = 0; i < 10_000; i += 997) assert.equal(s.lon[s.slots.get(`T${i}`)], 106 + i * 1e-5);
});

test('geodeticToEcef matches the WGS 84 axes and Cesium-style values', () => {
  const o = {};
  geodeticToEcef(0, 0, 0, o);
  assert.ok(Math.abs(o.x - 6378137) < 1e-6 && Math.abs(o.y) < 1e-6 && Math.abs(o.z) < 1e-6);
  geodeticToEcef(0, 90, 0, o);
  assert.ok(Math.abs(o.z - 6356752.314245) < 1e-3, `polar radius ${o.z}`);
  geodeticToEcef(90, 0, 100, o);
  assert.ok(Math.abs(o.y - 6378237) < 1e-6);
  // Height moves the point along the normal: |Δ| = Δh.
  const a = geodeticToEcef(106.7, 26.58, 1000, {});
  const b = geodeticToEcef(106.7, 26.58, 1100, {});
  assert.ok(Math.abs(Math.hypot(b.x - a.x, b.y - a.y, b.z - a.z) - 100) < 1e-6);
});

test('gridLayout recovers columns and rows from the first and last cells', () => {
  const first = { westDeg: 106.6, southDeg: 26.5, eastDeg: 106.6 + 1 / 60, northDeg: 26.5 + 1 / 60 };
  const last = { westDeg: 106.6 + 9 / 60, southDeg: 26.5 + 12 / 60, eastDeg: 106.6 + 10 / 60, northDeg: 26.5 + 13 / 60 };
  const l = gridLayout(first, last, 130);
  assert.deepEqual([l.columns, l.rows], [10, 13]);
  assert.equal(gridLayout(first, last, 131), null);
  assert.equal(gridLayout({ ...first, eastDeg: first.westDeg }, last, 130), null);
});

test('grid status and occupancy colours', () => {
  assert.equal(gridStatus('open'), 'open');
  assert.equal(gridStatus('RESTRICTED'), 'restricted');
  assert.equal(gridStatus('closed'), 'closed');
  assert.equal(gridStatus('??'), 'unknown');
  assert.equal(occupancyAlpha(0, 30), 0.15);
  assert.equal(occupancyAlpha(10, 60), 0.65);
  assert.ok(occupancyAlpha(1, 120) > occupancyAlpha(0, 120) && occupancyAlpha(1, 120) < occupancyAlpha(2, 120));
});

test('readCorridor reads the flat floor/ceiling shape of /corridors.geojson', () => {
  const c = readCorridor({ id: 'C1', geometry: { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, properties: { id: 'C1', name: 'n', floorM: 60, floorReference: 'AGL', ceilingM: 110, ceilingReference: 'AGL' } });
  assert.deepEqual(c.floor, { valueM: 60, reference: 'AGL' });
  assert.deepEqual(c.ceiling, { valueM: 110, reference: 'AGL' });
  assert.equal(readCorridor({ geometry: { type: 'LineString', coordinates: [] }, properties: {} }), null);
});

test('intent volumes: polygons and circles with their time windows; activeAt and inBand', () => {
  const intent = {
    volumes: [
      { footprint: { polygon: [[[0, 0], [1, 0], [1, 1], [0, 0]]] }, lowerW84M: 1100, upperW84M: 1200, start: '2026-11-27T10:00:00Z', end: '2026-11-27T10:30:00Z' },
      { footprint: { circle: { center: [106.7, 26.5], radiusM: 500 } }, lowerW84M: 1100, upperW84M: 1200, start: '2026-11-27T10:30:00Z', end: '2026-11-27T11:00:00Z' },
      { footprint: null, lowerW84M: 1, upperW84M: 2 },
    ],
  };
  const v = readIntentVolumes(intent);
  assert.equal(v.length, 2);
  assert.equal(v[1].ring.length, 49);
  const t = Date.parse('2026-11-27T10:15:00Z');
  assert.deepEqual(v.map((x) => activeAt(x.startMs, x.endMs, t)), [true, false]);
  assert.ok(inBand(0, 120, { minM: 100, maxM: 200 }));
  assert.ok(!inBand(0, 90, { minM: 100, maxM: 200 }));
  assert.ok(inBand(0, 90, null));
  // The circle's ring stays within its radius (equirectangular, ±1 %).
  const r = circleRing(106.7, 26.5, 1000, 36);
  for (const [lon, lat] of r) {
    const d = Math.hypot((lon - 106.7) * 111320 * Math.cos(26.5 * Math.PI / 180), (lat - 26.5) * 111320);
    assert.ok(Math.abs(d - 1000) < 10, `${d}`);
  }
  assert.deepEqual(footprintRings(null), []);
});

test('alerts sort by severity then recency, cleared last; counts skip cleared', () => {
  const alerts = [
    { id: 1, severity: 'advisory', state: 'raised', raisedUtc: '2026-11-27T10:05:00Z' },
    { id: 2, severity: 'warning', state: 'raised', raisedUtc: '2026-11-27T10:00:00Z', acknowledgedUtc: '2026-11-27T10:01:00Z' },
    { id: 3, severity: 'warning', state: 'cleared', raisedUtc: '2026-11-27T10:10:00Z' },
    { id: 4, severity: 'caution', state: 'updated', raisedUtc: '2026-11-27T10:02:00Z' },
    { id: 5, severity: 'warning', state: 'raised', raisedUtc: '2026-11-27T10:03:00Z' },
  ];
  assert.deepEqual(sortAlerts(alerts).map((a) => a.id), [5, 2, 4, 1, 3]);
  assert.deepEqual(alertCounts(alerts), { warning: 2, caution: 1, advisory: 1, unacknowledged: 3 });
});

test('dead reckoning and wind arrows point the right way', () => {
  const e = extrapolate(track('A', 106.7, 26.5, { veMps: 10, vnMps: 0, vuMps: 1 }), 60);
  assert.ok(e.lonDeg > 106.7 && e.latDeg === 26.5 && e.altW84M === 1260 && e.altAglM === 160);
  const [lon, lat] = windArrowEnd(106.7, 26.5, 180, 10); // from the south: points north
  assert.ok(lat > 26.5 && Math.abs(lon - 106.7) < 1e-9);
});

test('exports: GeoJSON, CSV, KML and CZML carry every track', () => {
  const tracks = [track('A,1', 106.7, 26.5), track('B<2>', 106.8, 26.6, { intentId: 'i-1' })];
  const gj = tracksToGeoJson(tracks);
  assert.equal(gj.features.length, 2);
  assert.deepEqual(gj.features[0].geometry.coordinates, [106.7, 26.5, 1200]);
  const csv = tracksToCsv(tracks).trim().split('\r\n');
  assert.equal(csv.length, 3);
  assert.ok(csv[1].startsWith('"A,1",'));
  const kml = tracksToKml(tracks);
  assert.equal((kml.match(/<Placemark>/g) ?? []).length, 2);
  assert.ok(kml.includes('B&lt;2&gt;') && kml.includes('106.8,26.6,1170'));
  const czml = tracksToCzml(tracks, { 'A,1': [{ timeUtc: '2026-11-27T10:00:00Z', lonDeg: 1, latDeg: 2, altW84M: 3 }, { timeUtc: '2026-11-27T10:00:10Z', lonDeg: 4, latDeg: 5, altW84M: 6 }] });
  assert.equal(czml[0].id, 'document');
  assert.deepEqual(czml[1].position.cartographicDegrees, [0, 1, 2, 3, 10, 4, 5, 6]);
  assert.deepEqual(czml[2].position.cartographicDegrees, [106.8, 26.6, 1200]);
});
