// Pure helpers of the console (no Cesium, no DOM): UI text, how API features are read, zone colours.
// Kept apart from app.js so Node's test runner can check them (web/test).

/** UI text in Chinese and English. */
export const TEXT = {
  zh: {
    title: '云路 · 低空运行',
    layers: '图层',
    hillshade: '地形晕渲',
    terrain: '三维地形',
    zones: '空域',
    buildings: '建筑',
    sites: '站点',
    legend: '图例',
    mode2d: '2D',
    mode3d: '3D',
    lang: 'EN',
    PROHIBITED: '禁飞',
    REQ_AUTHORISATION: '需审批',
    CONDITIONAL: '有条件',
    NO_RESTRICTION: '无限制',
    loading: '正在加载…',
    loaded: '已加载',
    failed: '加载失败',
    floor: '下限',
    ceiling: '上限',
    height: '高度',
    kind: '类型',
  },
  en: {
    title: 'Yunlu · Airspace',
    layers: 'Layers',
    hillshade: 'Hillshade',
    terrain: '3D terrain',
    zones: 'Zones',
    buildings: 'Buildings',
    sites: 'Sites',
    legend: 'Legend',
    mode2d: '2D',
    mode3d: '3D',
    lang: '中文',
    PROHIBITED: 'Prohibited',
    REQ_AUTHORISATION: 'Authorisation required',
    CONDITIONAL: 'Conditional',
    NO_RESTRICTION: 'No restriction',
    loading: 'Loading…',
    loaded: 'Loaded',
    failed: 'Failed to load',
    floor: 'Floor',
    ceiling: 'Ceiling',
    height: 'Height',
    kind: 'Kind',
  },
};

/** Zone fill colours (CSS hex) by restriction. */
export const ZONE_COLOURS = {
  PROHIBITED: '#e53935',
  REQ_AUTHORISATION: '#ffa000',
  CONDITIONAL: '#fdd835',
  NO_RESTRICTION: '#9e9e9e',
};

/** Canonical restriction: PROHIBITED, REQ_AUTHORISATION (either spelling), CONDITIONAL, else NO_RESTRICTION. */
export function normaliseRestriction(text) {
  const t = String(text ?? '').toUpperCase().replace(/[^A-Z]/g, '');
  if (t === 'PROHIBITED') return 'PROHIBITED';
  if (t === 'REQAUTHORISATION' || t === 'REQAUTHORIZATION') return 'REQ_AUTHORISATION';
  if (t === 'CONDITIONAL') return 'CONDITIONAL';
  return 'NO_RESTRICTION';
}

/** Canonical altitude reference: AGL, AMSL (also MSL) or W84 (also WGS84); null when unknown. */
export function normaliseReference(text) {
  const t = String(text ?? '').toUpperCase().replace(/[^A-Z0-9]/g, '');
  if (t === 'AGL' || t === 'SFC') return 'AGL';
  if (t === 'AMSL' || t === 'MSL') return 'AMSL';
  if (t === 'W84' || t === 'WGS84') return 'W84';
  return null;
}

function altitude(obj, flatValue, flatReference) {
  if (obj && typeof obj === 'object') {
    return { valueM: Number(obj.value ?? obj.valueM), reference: normaliseReference(obj.reference) };
  }
  return { valueM: Number(flatValue), reference: normaliseReference(flatReference) };
}

/**
 * A zone feature of /api/v1/zones.geojson as the console uses it. Accepts the server's shape
 * (lower/upper = {value, reference}) and the flat one (lowerM, lowerReference, upperM, upperReference).
 * Returns null when the feature has no polygon or no usable band.
 */
export function readZone(feature) {
  const p = feature?.properties ?? {};
  const g = feature?.geometry;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return null;
  const lower = altitude(p.lower, p.lowerM, p.lowerReference);
  const upper = altitude(p.upper, p.upperM, p.upperReference);
  if (!Number.isFinite(lower.valueM) || !Number.isFinite(upper.valueM) || !lower.reference || !upper.reference) return null;
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return {
    id: String(p.identifier ?? feature.id ?? ''),
    name: String(p.name ?? p.identifier ?? feature.id ?? ''),
    restriction: normaliseRestriction(p.restriction),
    lower,
    upper,
    message: p.message ?? null,
    polygons,
  };
}

/** A building of /api/v1/obstacles.geojson: outer ring and height above ground (heightM, or height). */
export function readObstacle(feature) {
  const p = feature?.properties ?? {};
  const g = feature?.geometry;
  const heightM = Number(p.heightM ?? p.height);
  if (!g || g.type !== 'Polygon' || !Array.isArray(g.coordinates?.[0]) || !(heightM > 0)) return null;
  return { id: String(p.id ?? feature.id ?? ''), name: p.name ?? null, kind: p.kind ?? p.building ?? 'building', heightM, ring: g.coordinates[0] };
}

/** A site of /api/v1/sites.geojson: a point with id, name, kind. */
export function readSite(feature) {
  const p = feature?.properties ?? {};
  const g = feature?.geometry;
  if (!g || g.type !== 'Point' || !Array.isArray(g.coordinates)) return null;
  const [lon, lat] = g.coordinates;
  if (!Number.isFinite(lon) || !Number.isFinite(lat)) return null;
  return {
    id: String(p.id ?? feature.id ?? ''),
    name: String(p.name ?? p.id ?? ''),
    kind: String(p.kind ?? 'poi').toLowerCase(),
    description: p.description ?? null,
    lon,
    lat,
  };
}

const CJK = /[\u3400-\u9fff\uf900-\ufaff]/;

/**
 * The part of a bilingual name ("甲秀楼 Jiaxiu Pavilion") for a language: the words up to the last one holding Chinese
 * characters for 'zh', the words after it for 'en'. Names in one language only come back whole.
 */
export function localName(name, lang) {
  const text = String(name ?? '').trim();
  const words = text.split(/\s+/);
  let last = -1;
  words.forEach((w, i) => { if (CJK.test(w)) last = i; });
  if (last < 0 || last === words.length - 1) return text;
  return lang === 'en' ? words.slice(last + 1).join(' ') : words.slice(0, last + 1).join(' ');
}

/** Glyph and colour for a site kind (server wire names such as POINT_OF_INTEREST or file codes such as poi). */
export function siteStyle(kind) {
  const k = String(kind ?? '').toLowerCase().replace(/[^a-z]/g, '');
  switch (k) {
    case 'vertiport': return { symbol: 'V', colour: '#4fc3f7' };
    case 'logisticshub': return { symbol: 'H', colour: '#ba68c8' };
    case 'droppoint': return { symbol: 'D', colour: '#81c784' };
    case 'trainingarea': return { symbol: 'T', colour: '#ffb74d' };
    case 'airport': return { symbol: 'A', colour: '#e0e0e0' };
    default: return { symbol: '★', colour: '#fff176' };
  }
}

/** The API base from <meta name="yunlu-api"> (default /api/v1), without a trailing slash. */
export function apiBase(doc) {
  const meta = doc?.querySelector?.('meta[name="yunlu-api"]');
  const value = meta?.getAttribute('content') || '/api/v1';
  return value.replace(/\/+$/, '');
}
