import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  DAYS, applicabilityFromForm, distanceM, expandDays, fieldFor, formFromApplicability, formatCentreLine, inputToIso, isoToInput, layerColour,
  nearestSite, networkRequest, parseCentreLine, problemViolations, readNetwork, reportRows, snapEnds, zoneWithSchedule,
} from '../src/manager-model.js';

test('layerColour: distinct per layer, opposing layers half the wheel apart, wraps around', () => {
  const c = [0, 1, 2, 3].map((i) => layerColour(i, 4));
  assert.equal(new Set(c).size, 4);
  const hue = (s) => Number(/hsl\((\d+)/.exec(s)[1]);
  assert.equal((hue(layerColour(2, 4)) - hue(layerColour(0, 4)) + 360) % 360, 180);
  assert.equal(layerColour(5, 4), layerColour(1, 4));
});

test('distanceM: one degree of latitude is about 111.2 km; nearestSite keeps to the radius', () => {
  assert.ok(Math.abs(distanceM({ lonDeg: 106, latDeg: 26 }, { lonDeg: 106, latDeg: 27 }) - 111195) < 5);
  const sites = [{ id: 'A', lon: 106.60, lat: 26.60 }, { id: 'B', lon: 106.61, lat: 26.60 }];
  assert.equal(nearestSite(sites, { lonDeg: 106.608, latDeg: 26.60 }, 1500).id, 'B');
  assert.equal(nearestSite(sites, { lonDeg: 106.70, latDeg: 26.60 }, 1500), null);
});

test('networkRequest splits sites from clicked points and drops blank options', () => {
  const body = networkRequest([{ siteId: 'VP-HT01' }, { id: 'P1', lonDeg: 106.7, latDeg: 26.6 }], { detourTarget: '1.15', headingLayers: '4', lateralSeparationM: '', idPrefix: 'WEB' }, true);
  assert.deepEqual(body.siteIds, ['VP-HT01']);
  assert.deepEqual(body.points, [{ id: 'P1', name: 'P1', lon: 106.7, lat: 26.6 }]);
  assert.deepEqual(body.options, { detourTarget: 1.15, headingLayers: 4, idPrefix: 'WEB' });
  assert.equal(body.store, true);
  assert.equal(body.avoidStoredZones, true);
  assert.equal(body.avoidStoredObstacles, true);
  assert.equal(networkRequest([], {}, false, { zones: true, obstacles: false }).avoidStoredObstacles, false);
  // A value that is not a number goes as typed, for the server to name.
  assert.equal(networkRequest([], { corridorWidthM: 'wide' }).options.corridorWidthM, 'wide');
});

test('readNetwork and reportRows read the endpoint GeoJSON', () => {
  const fc = {
    type: 'FeatureCollection', stored: false,
    report: { vertiports: 4, junctions: 1, corridors: 8, networkLengthM: 12345, mstLengthM: 10000, lengthVsMst: 1.2345, meanDetour: 1.05, p95Detour: 1.12, maxDetour: 1.19, sameLayerCrossings: 0, separationViolations: 0, corridorCapacityPerHour: 180, totalCapacityFlightKmPerHour: 4444.4 },
    layers: [{ index: 0 }, { index: 1 }],
    features: [
      { type: 'Feature', geometry: { type: 'Point', coordinates: [106.6, 26.6] }, properties: { type: 'airway-node', id: 'VP-1', name: 'V', kind: 'VERTIPORT' } },
      { type: 'Feature', geometry: { type: 'LineString', coordinates: [[106.6, 26.6], [106.7, 26.6]] }, properties: { type: 'corridor', id: 'GEN-C0001', from: 'VP-1', to: 'J1', layer: 1, lengthM: 10000 } },
    ],
  };
  const n = readNetwork(fc);
  assert.equal(n.nodes.length, 1);
  assert.equal(n.corridors[0].layer, 1);
  assert.equal(n.layers.length, 2);
  const rows = Object.fromEntries(reportRows(n.report));
  assert.equal(rows.nwLength, '12.35 km');
  assert.equal(rows.nwLengthVsMst, '1.234');
  assert.equal(rows.nwP95Detour, '1.120');
  assert.equal(rows.nwCrossings, '0');
  assert.deepEqual(reportRows(null), []);
});

test('datetime-local values are read and written as UTC', () => {
  assert.equal(inputToIso('2026-11-28T08:30'), '2026-11-28T08:30:00Z');
  assert.equal(inputToIso(''), null);
  assert.equal(isoToInput('2026-11-28T16:30:00+08:00'), '2026-11-28T08:30');
  assert.equal(isoToInput(null), '');
  assert.throws(() => inputToIso('2026-13-45T99:99'), /not a date/);
});

test('schedule round trip: form → applicability → form', () => {
  const form = { permanent: false, start: '2026-12-01T00:00', end: '2026-12-31T00:00', weekly: [{ days: ['MON', 'FRI'], startTime: '08:00', endTime: '18:00 ' }] };
  const a = applicabilityFromForm(form);
  assert.deepEqual(a, { permanent: false, start: '2026-12-01T00:00:00Z', end: '2026-12-31T00:00:00Z', weekly: [{ days: ['MON', 'FRI'], startTime: '08:00', endTime: '18:00' }] });
  assert.deepEqual(formFromApplicability(a), { ...form, weekly: [{ days: ['MON', 'FRI'], startTime: '08:00', endTime: '18:00' }] });
  assert.deepEqual(formFromApplicability(undefined), { permanent: true, start: '', end: '', weekly: [] });
  assert.deepEqual(expandDays(['ANY']), DAYS);
  assert.deepEqual(expandDays(['sun', 'MON']), ['MON', 'SUN']);
  // Permanent drops the dates.
  assert.deepEqual(applicabilityFromForm({ permanent: true, start: '2026-12-01T00:00', end: '', weekly: [] }), { permanent: true, start: null, end: null, weekly: [] });
});

test('zoneWithSchedule replaces entry 0 and the limits, keeping the rest of the zone', () => {
  const zone = { identifier: 'Z', name: 'n', lower: { value: 0, reference: 'AGL' }, upper: { value: 120, reference: 'AGL' }, applicability: [{ permanent: true, start: null, end: null, weekly: [] }, { permanent: false, start: '2027-01-01T00:00:00Z', end: null, weekly: [] }] };
  const schedule = { permanent: true, start: '', end: '', weekly: [{ days: ['SAT'], startTime: '09:00', endTime: '17:00' }] };
  const z = zoneWithSchedule(zone, { lower: { value: 30, reference: 'AGL' }, upper: { value: 1500, reference: 'AMSL' }, schedule });
  assert.equal(z.name, 'n');
  assert.deepEqual(z.upper, { value: 1500, reference: 'AMSL' });
  assert.equal(z.applicability.length, 2);
  assert.deepEqual(z.applicability[0].weekly[0].days, ['SAT']);
  assert.equal(z.applicability[1].start, '2027-01-01T00:00:00Z');
  assert.equal(zone.applicability[0].weekly.length, 0, 'the input is not changed');
  // A zone without applicability stays permanent without an entry when the form says "always".
  assert.deepEqual(zoneWithSchedule({ applicability: [] }, { lower: {}, upper: {}, schedule: { permanent: true, weekly: [] } }).applicability, []);
});

test('fieldFor picks the longest known field at a path boundary', () => {
  const known = ['lower', 'lower.value', 'upper', 'applicability[0].start', 'applicability[0].end', 'applicability[0].weekly[0].startTime', 'applicability[0].weekly[1].startTime', 'applicability[0].weekly[1]'];
  assert.equal(fieldFor('lower.value', known), 'lower.value');
  assert.equal(fieldFor('lower.reference', known), 'lower');
  assert.equal(fieldFor('applicability[0].weekly[1].days', known), 'applicability[0].weekly[1]');
  assert.equal(fieldFor('applicability[0].weekly[0].startTime', known), 'applicability[0].weekly[0].startTime');
  assert.equal(fieldFor('upperX', known), '$');
  assert.equal(fieldFor('name', known), '$');
});

test('problemViolations reads the structured list, the errors map, or the detail', () => {
  assert.deepEqual(problemViolations({ violations: [{ field: 'upper', rule: 'altitude-band-inverted', message: 'above' }] }), [{ field: 'upper', message: 'above [altitude-band-inverted]' }]);
  assert.deepEqual(problemViolations({ errors: { 'a.b': ['time-format: HH:mm'] } }), [{ field: 'a.b', message: 'time-format: HH:mm' }]);
  assert.deepEqual(problemViolations({ detail: 'stale' }), [{ field: '$', message: 'stale' }]);
  assert.deepEqual(problemViolations(null), []);
});

test('centre-lines parse, format and snap their ends to the nodes', () => {
  assert.deepEqual(parseCentreLine('106.6,26.6; 106.61 26.62\n106.62,26.63'), [[106.6, 26.6], [106.61, 26.62], [106.62, 26.63]]);
  assert.throws(() => parseCentreLine('106.6,26.6; x,1'), /centreLine\[1\]/);
  assert.equal(formatCentreLine([[106.6, 26.6]]), '106.600000,26.600000');
  const from = { lonDeg: 106.6, latDeg: 26.6 };
  const to = { lonDeg: 106.7, latDeg: 26.6 };
  // A click near the start node is moved onto it; a far one gets the node in front.
  assert.deepEqual(snapEnds([[106.6005, 26.6], [106.65, 26.61]], from, to), [[106.6, 26.6], [106.65, 26.61], [106.7, 26.6]]);
  assert.deepEqual(snapEnds([[106.65, 26.61]], from, to), [[106.6, 26.6], [106.65, 26.61], [106.7, 26.6]]);
  assert.deepEqual(snapEnds([], from, to), [[106.6, 26.6], [106.7, 26.6]]);
});
