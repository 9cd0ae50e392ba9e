import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TEXT, ZONE_COLOURS, apiBase, localName, normaliseReference, normaliseRestriction, readObstacle, readSite, readZone, siteStyle } from '../src/model.js';

const square = [[[106.7, 26.5], [106.71, 26.5], [106.71, 26.51], [106.7, 26.51], [106.7, 26.5]]];

test('readZone reads the server shape (nested lower/upper)', () => {
  const z = readZone({
    type: 'Feature', id: 'GY-AP01',
    geometry: { type: 'Polygon', coordinates: square },
    properties: { identifier: 'GY-AP01', name: '机场 Airport', restriction: 'PROHIBITED', lower: { value: 0, reference: 'AGL' }, upper: { value: 2000, reference: 'AMSL' } },
  });
  assert.equal(z.id, 'GY-AP01');
  assert.equal(z.restriction, 'PROHIBITED');
  assert.deepEqual(z.lower, { valueM: 0, reference: 'AGL' });
  assert.deepEqual(z.upper, { valueM: 2000, reference: 'AMSL' });
  assert.equal(z.polygons.length, 1);
});

test('readZone reads the flat shape and both authorisation spellings', () => {
  const z = readZone({
    type: 'Feature', geometry: { type: 'MultiPolygon', coordinates: [square, square] },
    properties: { identifier: 'X', restriction: 'REQ_AUTHORIZATION', lowerM: 10, lowerReference: 'W84', upperM: 120, upperReference: 'agl' },
  });
  assert.equal(z.restriction, 'REQ_AUTHORISATION');
  assert.deepEqual(z.lower, { valueM: 10, reference: 'W84' });
  assert.deepEqual(z.upper, { valueM: 120, reference: 'AGL' });
  assert.equal(z.polygons.length, 2);
});

test('readZone rejects features without a polygon or a band reference', () => {
  assert.equal(readZone({ geometry: { type: 'Point', coordinates: [1, 2] }, properties: {} }), null);
  assert.equal(readZone({ geometry: { type: 'Polygon', coordinates: square }, properties: { lower: { value: 0 }, upper: { value: 1, reference: 'AGL' } } }), null);
});

test('normalisers map every spelling and nothing else', () => {
  assert.equal(normaliseRestriction('req-authorisation'), 'REQ_AUTHORISATION');
  assert.equal(normaliseRestriction('CONDITIONAL'), 'CONDITIONAL');
  assert.equal(normaliseRestriction('NO_RESTRICTION'), 'NO_RESTRICTION');
  assert.equal(normaliseRestriction('whatever'), 'NO_RESTRICTION');
  assert.equal(normaliseReference('MSL'), 'AMSL');
  assert.equal(normaliseReference('WGS84'), 'W84');
  assert.equal(normaliseReference('FL'), null);
  for (const r of ['PROHIBITED', 'REQ_AUTHORISATION', 'CONDITIONAL', 'NO_RESTRICTION']) {
    assert.match(ZONE_COLOURS[r], /^#[0-9a-f]{6}$/);
    assert.ok(TEXT.zh[r] && TEXT.en[r]);
  }
});

test('every UI text key exists in both languages', () => {
  assert.deepEqual(Object.keys(TEXT.zh).sort(), Object.keys(TEXT.en).sort());
});

test('readObstacle takes heightM (server) or height (file) and skips heightless ones', () => {
  assert.equal(readObstacle({ geometry: { type: 'Polygon', coordinates: square }, properties: { id: 'b', heightM: 42 } }).heightM, 42);
  assert.equal(readObstacle({ geometry: { type: 'Polygon', coordinates: square }, properties: { height: '12.5' } }).heightM, 12.5);
  assert.equal(readObstacle({ geometry: { type: 'Polygon', coordinates: square }, properties: {} }), null);
});

test('readSite reads points and lower-cases kinds', () => {
  const s = readSite({ geometry: { type: 'Point', coordinates: [106.71, 26.57] }, properties: { id: 'POI-JXL', name: '甲秀楼 Jiaxiu Pavilion', kind: 'POINT_OF_INTEREST' } });
  assert.deepEqual([s.id, s.kind, s.lon, s.lat], ['POI-JXL', 'point_of_interest', 106.71, 26.57]);
  assert.equal(readSite({ geometry: { type: 'Polygon', coordinates: square }, properties: {} }), null);
  assert.equal(siteStyle('VERTIPORT').symbol, 'V');
  assert.equal(siteStyle('logistics_hub').symbol, 'H');
  assert.equal(siteStyle('poi').symbol, siteStyle('POINT_OF_INTEREST').symbol);
});

test('localName splits bilingual names', () => {
  assert.equal(localName('甲秀楼 Jiaxiu Pavilion', 'zh'), '甲秀楼');
  assert.equal(localName('甲秀楼 Jiaxiu Pavilion', 'en'), 'Jiaxiu Pavilion');
  assert.equal(localName('220 kV 变电站（示例） 220 kV substation (example)', 'zh'), '220 kV 变电站（示例）');
  assert.equal(localName('220 kV 变电站（示例） 220 kV substation (example)', 'en'), '220 kV substation (example)');
  assert.equal(localName('Only English', 'zh'), 'Only English');
  assert.equal(localName('只有中文', 'en'), '只有中文');
});

test('apiBase reads the meta tag and trims the slash', () => {
  const doc = (content) => ({ querySelector: () => (content === null ? null : { getAttribute: () => content }) });
  assert.equal(apiBase(doc('/api/v1/')), '/api/v1');
  assert.equal(apiBase(doc(null)), '/api/v1');
  assert.equal(apiBase(doc('https://yunlu.example/api/v1')), 'https://yunlu.example/api/v1');
});
