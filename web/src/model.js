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
    corridors: '航路走廊',
    grid: '北斗网格',
    intents: '运行意图',
    tracks: '实时航迹',
    weather: '风场',
    alerts: '告警',
    band: '高度带 (m AGL)',
    time: '时间',
    live: '实时',
    replay: '回放',
    play: '播放',
    pause: '暂停',
    speed: '倍速',
    login: '登录',
    logout: '退出',
    subject: '用户名',
    role: '角色',
    operator: '运营人',
    manager: '管理员',
    supervisor: '监管员',
    admin: '系统管理员',
    guest: '访客',
    canIFly: '能飞吗？点击地图',
    plan: '规划航线',
    planHint: '依次点击起点与终点',
    clear: '清除',
    submit: '提交意图',
    verdict: '结论',
    green: '可飞',
    needs_authorisation: '需审批',
    prohibited: '禁飞',
    drawPolygon: '画多边形',
    drawCircle: '画圆',
    finish: '完成',
    save: '保存',
    identifier: '编号',
    name: '名称',
    restriction: '限制',
    reference: '基准',
    queue: '审批队列',
    approve: '批准',
    reject: '驳回',
    reason: '理由',
    import: '导入文件',
    dropHere: '拖放文件到此处',
    preview: '预览',
    commit: '入库',
    ack: '确认',
    jump: '定位',
    fullscreen: '全屏态势',
    export: '导出',
    status: '状态',
    activeAlerts: '活动告警',
    positionsPerSecond: '位置/秒',
    track: '航迹',
    intent: '意图',
    conformance: '符合性',
    age: '数据龄',
    groundSpeed: '地速',
    altitude: '高度',
    follow: '跟随',
    close: '关闭',
    length: '长度',
    duration: '时长',
    legs: '航段',
    profile: '垂直剖面',
    conflicts: '冲突',
    state: '状态',
    operatorId: '运营人编号',
    aircraftId: '航空器编号',
    pilotId: '飞手编号',
    noAlerts: '无告警',
    notAvailable: '服务未提供',
    liveConnecting: '实时推送连接中…',
    liveLive: '实时推送已连接',
    liveReconnecting: '实时推送重连中（轮询）',
    livePolling: '实时推送不可用，轮询中',
    clearance: '净空带',
    severity: '级别',
    advisory: '提示',
    caution: '注意',
    warning: '警告',
    errors: '错误',
    features: '要素',
    register: '登记机队',
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
    corridors: 'Corridors',
    grid: 'BeiDou grid',
    intents: 'Operational intents',
    tracks: 'Live tracks',
    weather: 'Wind',
    alerts: 'Alerts',
    band: 'Altitude band (m AGL)',
    time: 'Time',
    live: 'Live',
    replay: 'Replay',
    play: 'Play',
    pause: 'Pause',
    speed: 'Speed',
    login: 'Sign in',
    logout: 'Sign out',
    subject: 'User',
    role: 'Role',
    operator: 'Operator',
    manager: 'Manager',
    supervisor: 'Supervisor',
    admin: 'Administrator',
    guest: 'Guest',
    canIFly: 'Can I fly here? Click the map',
    plan: 'Plan a route',
    planHint: 'Click the start, then the destination',
    clear: 'Clear',
    submit: 'Submit intent',
    verdict: 'Verdict',
    green: 'Clear to fly',
    needs_authorisation: 'Needs authorisation',
    prohibited: 'Prohibited',
    drawPolygon: 'Draw polygon',
    drawCircle: 'Draw circle',
    finish: 'Finish',
    save: 'Save',
    identifier: 'Identifier',
    name: 'Name',
    restriction: 'Restriction',
    reference: 'Reference',
    queue: 'Approval queue',
    approve: 'Approve',
    reject: 'Reject',
    reason: 'Reason',
    import: 'Import a file',
    dropHere: 'Drop a file here',
    preview: 'Preview',
    commit: 'Commit',
    ack: 'Acknowledge',
    jump: 'Jump to',
    fullscreen: 'Full-screen picture',
    export: 'Export',
    status: 'Status',
    activeAlerts: 'Active alerts',
    positionsPerSecond: 'Positions/s',
    track: 'Track',
    intent: 'Intent',
    conformance: 'Conformance',
    age: 'Data age',
    groundSpeed: 'Ground speed',
    altitude: 'Altitude',
    follow: 'Follow',
    close: 'Close',
    length: 'Length',
    duration: 'Duration',
    legs: 'Legs',
    profile: 'Vertical profile',
    conflicts: 'Conflicts',
    state: 'State',
    operatorId: 'Operator id',
    aircraftId: 'Aircraft id',
    pilotId: 'Pilot id',
    noAlerts: 'No alerts',
    notAvailable: 'Not offered by the server',
    liveConnecting: 'Live push: connecting…',
    liveLive: 'Live push: connected',
    liveReconnecting: 'Live push: reconnecting (polling)',
    livePolling: 'Live push unavailable: polling',
    clearance: 'Terrain clearance',
    severity: 'Severity',
    advisory: 'Advisory',
    caution: 'Caution',
    warning: 'Warning',
    errors: 'Errors',
    features: 'Features',
    register: 'Register fleet',
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

// ---- airspace layers -----------------------------------------------------------------------------------------

/** Grid cell fill colours (CSS hex) by the gridded airspace's status. */
export const GRID_COLOURS = {
  open: '#43a047',
  restricted: '#ffa000',
  closed: '#e53935',
  unknown: '#9e9e9e',
};

/** Canonical grid status: open, restricted, closed (prohibited/blocked too) or unknown. */
export function gridStatus(text) {
  const t = String(text ?? '').toLowerCase().replace(/[^a-z]/g, '');
  if (t === 'open' || t === 'free') return 'open';
  if (t === 'restricted' || t === 'conditional' || t === 'authorisation' || t === 'reqauthorisation') return 'restricted';
  if (t === 'closed' || t === 'prohibited' || t === 'blocked') return 'closed';
  return 'unknown';
}

/**
 * Occupancy as fill opacity: 0.15 for an empty cell rising to 0.65 when the tracks in it reach the cell's capacity
 * per minute (capacityPerHour / 60, at least 1).
 */
export function occupancyAlpha(tracksInCell, capacityPerHour) {
  const perMinute = Math.max(1, Number(capacityPerHour) / 60 || 0);
  return 0.15 + 0.5 * Math.min(1, Math.max(0, tracksInCell) / perMinute);
}

/**
 * Lays out the cells of /grid/cells (row-major from the south-west, west to east within a row) given the bounds of
 * the first and the last cell: returns {columns, rows, widthDeg, heightDeg, westDeg, southDeg} or null when the
 * bounds are unusable. Cell k is column k % columns, row floor(k / columns).
 */
export function gridLayout(first, last, cellCount) {
  const widthDeg = first.eastDeg - first.westDeg;
  const heightDeg = first.northDeg - first.southDeg;
  if (!(widthDeg > 0) || !(heightDeg > 0) || !(cellCount > 0)) return null;
  const columns = Math.round((last.westDeg - first.westDeg) / widthDeg) + 1;
  const rows = Math.round((last.southDeg - first.southDeg) / heightDeg) + 1;
  if (columns < 1 || rows < 1 || columns * rows !== cellCount) return null;
  return { columns, rows, widthDeg, heightDeg, westDeg: first.westDeg, southDeg: first.southDeg };
}

/** A corridor feature of /corridors.geojson: footprint polygon, floor and ceiling (when given), id and name. */
export function readCorridor(feature) {
  const p = feature?.properties ?? {};
  const g = feature?.geometry;
  if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return null;
  const floor = altitude(p.floor ?? p.lower, p.floorM ?? p.lowerM, p.floorReference ?? p.lowerReference ?? p.reference);
  const ceiling = altitude(p.ceiling ?? p.upper, p.ceilingM ?? p.upperM, p.ceilingReference ?? p.upperReference ?? p.reference);
  return {
    id: String(p.id ?? feature.id ?? ''),
    name: String(p.name ?? p.id ?? feature.id ?? ''),
    floor: Number.isFinite(floor.valueM) && floor.reference ? floor : null,
    ceiling: Number.isFinite(ceiling.valueM) && ceiling.reference ? ceiling : null,
    polygons: g.type === 'Polygon' ? [g.coordinates] : g.coordinates,
  };
}

/** Intent state colours (CSS hex). */
export const INTENT_COLOURS = {
  ACCEPTED: '#42a5f5',
  ACTIVATED: '#26c6da',
  NONCONFORMING: '#ff7043',
  CONTINGENT: '#e53935',
  PENDING_APPROVAL: '#ab47bc',
  SUBMITTED: '#ab47bc',
  DRAFT: '#bdbdbd',
  REJECTED: '#8d6e63',
};

/** Circle footprint as a ring of [lon, lat] (equirectangular offsets: fine for the few km of an intent). */
export function circleRing(centreLonDeg, centreLatDeg, radiusM, segments = 48) {
  const mPerDegLat = 111_320;
  const mPerDegLon = mPerDegLat * Math.cos((centreLatDeg * Math.PI) / 180);
  const ringOut = [];
  for (let i = 0; i < segments; i++) {
    const a = (2 * Math.PI * i) / segments;
    ringOut.push([centreLonDeg + (radiusM * Math.sin(a)) / mPerDegLon, centreLatDeg + (radiusM * Math.cos(a)) / mPerDegLat]);
  }
  ringOut.push(ringOut[0]);
  return ringOut;
}

/** The outer rings of a footprint {polygon:[[[lon,lat]...]]} or {circle:{center:[lon,lat], radiusM}}. */
export function footprintRings(footprint) {
  if (!footprint) return [];
  if (Array.isArray(footprint.polygon) && footprint.polygon.length > 0) return [footprint.polygon[0]];
  const c = footprint.circle;
  if (c && Array.isArray(c.center) && Number(c.radiusM) > 0) return [circleRing(c.center[0], c.center[1], Number(c.radiusM))];
  return [];
}

/** Intent volumes as the console draws them: one entry per 4D volume with its time window in epoch milliseconds. */
export function readIntentVolumes(intent) {
  const out = [];
  (intent?.volumes ?? []).forEach((v, index) => {
    const rings = footprintRings(v.footprint);
    const startMs = Date.parse(v.start);
    const endMs = Date.parse(v.end);
    if (rings.length === 0 || !Number.isFinite(v.lowerW84M) || !Number.isFinite(v.upperW84M)) return;
    out.push({ index, ring: rings[0], lowerW84M: v.lowerW84M, upperW84M: v.upperW84M, startMs, endMs });
  });
  return out;
}

/** True when time t (epoch ms) is inside [startMs, endMs] (an unknown bound is open). */
export function activeAt(startMs, endMs, tMs) {
  return !(Number.isFinite(startMs) && tMs < startMs) && !(Number.isFinite(endMs) && tMs > endMs);
}

/** True when [lowerM, upperM] meets the band {minM, maxM}; a null band lets everything through. */
export function inBand(lowerM, upperM, band) {
  if (!band) return true;
  return upperM >= band.minM && lowerM <= band.maxM;
}

/** Wind arrow: from where the wind blows (degrees from north) and its speed, the end point of an arrow that starts
 * at lon/lat and points downwind, lengthM per m/s. Returns [lonDeg, latDeg]. */
export function windArrowEnd(lonDeg, latDeg, fromDeg, speedMps, lengthMPerMps = 150) {
  const toRad = ((fromDeg + 180) % 360) * Math.PI / 180;
  const d = speedMps * lengthMPerMps;
  const mPerDegLat = 111_320;
  const mPerDegLon = mPerDegLat * Math.cos((latDeg * Math.PI) / 180);
  return [lonDeg + (d * Math.sin(toRad)) / mPerDegLon, latDeg + (d * Math.cos(toRad)) / mPerDegLat];
}

/** Wind colour by speed: calm green, 8 m/s amber, 12 m/s and more red. */
export function windColour(speedMps) {
  if (speedMps >= 12) return '#e53935';
  if (speedMps >= 8) return '#ffa000';
  if (speedMps >= 4) return '#fdd835';
  return '#66bb6a';
}

// ---- alerts --------------------------------------------------------------------------------------------------

const SEVERITY_RANK = { warning: 3, caution: 2, advisory: 1 };

/** Alert severity colours (CSS hex). */
export const SEVERITY_COLOURS = { warning: '#e53935', caution: '#ffa000', advisory: '#42a5f5' };

/** Open alerts first by severity (warning, caution, advisory), then newest raised first (then id); cleared ones last. */
export function sortAlerts(alerts) {
  return [...alerts].sort((a, b) => {
    const ca = a.state === 'cleared' ? 1 : 0;
    const cb = b.state === 'cleared' ? 1 : 0;
    if (ca !== cb) return ca - cb;
    const s = (SEVERITY_RANK[b.severity] ?? 0) - (SEVERITY_RANK[a.severity] ?? 0);
    if (s !== 0) return s;
    // Raised time, not updated time: an alert updated every cycle must not reorder the list under the pointer.
    const r = String(b.raisedUtc ?? '').localeCompare(String(a.raisedUtc ?? ''));
    return r !== 0 ? r : String(b.id).localeCompare(String(a.id));
  });
}

/** Counts of alerts by severity that are not cleared: {warning, caution, advisory, unacknowledged}. */
export function alertCounts(alerts) {
  const c = { warning: 0, caution: 0, advisory: 0, unacknowledged: 0 };
  for (const a of alerts) {
    if (a.state === 'cleared') continue;
    if (a.severity in c) c[a.severity]++;
    if (!a.acknowledgedUtc) c.unacknowledged++;
  }
  return c;
}

// ---- tracks --------------------------------------------------------------------------------------------------

/** Conformance colours (CSS hex) of the track points. */
export const CONFORMANCE_COLOURS = {
  conforming: '#4fc3f7',
  nonconforming: '#ff7043',
  contingent: '#e53935',
  none: '#fff176',
};

/**
 * The live picture's store: struct-of-arrays over tracks (no object per track kept beyond the last API record), a
 * slot per aircraft kept across updates so the render layer can update primitives in place. `apply(tracks)` takes
 * the API's Track objects and returns the number of live slots; slots of aircraft no longer present are freed
 * (reused by the next new aircraft) and reported in `freed`.
 */
export class TrackStore {
  constructor(capacity = 1024) {
    this.slots = new Map();
    this.free = [];
    this.count = 0;
    this.size = 0;
    this.freed = [];
    this.generation = 0;
    // order[i]: the slot of the i-th track of the last picture (pictures mostly list aircraft in the same order).
    this.order = new Int32Array(0);
    this.orderLength = 0;
    this.#allocate(capacity);
  }

  #allocate(capacity) {
    const grow = (old, Type) => { const a = new Type(capacity); if (old) a.set(old); return a; };
    this.lon = grow(this.lon, Float64Array);
    this.lat = grow(this.lat, Float64Array);
    this.alt = grow(this.alt, Float64Array);
    this.altAgl = grow(this.altAgl, Float64Array);
    this.speed = grow(this.speed, Float32Array);
    this.vn = grow(this.vn, Float32Array);
    this.ve = grow(this.ve, Float32Array);
    this.vu = grow(this.vu, Float32Array);
    this.seen = grow(this.seen, Uint32Array);
    this.conformance = grow(this.conformance, Uint8Array);
    this.moved = grow(this.moved, Uint8Array);
    this.ids = this.ids ? this.ids.concat(new Array(capacity - this.ids.length).fill(null)) : new Array(capacity).fill(null);
    this.records = this.records ? this.records.concat(new Array(capacity - this.records.length).fill(null)) : new Array(capacity).fill(null);
    this.capacity = capacity;
  }

  /** Applies one full picture (every track present now). Returns the number of live tracks. moved[slot] is 1 for the
   * slots whose position changed (or that are new) in this picture, 0 for the others. */
  apply(tracks) {
    const gen = ++this.generation;
    this.freed.length = 0;
    const n = tracks.length;
    if (this.order.length < n) this.order = new Int32Array(Math.max(n, this.order.length * 2));
    const order = this.order;
    const hinted = this.orderLength;
    for (let i = 0; i < n; i++) {
      const t = tracks[i];
      const id = t.aircraftId;
      // The slot the i-th track had last time, confirmed by its id, spares the Map lookup (hashing a fresh string).
      let slot = i < hinted ? order[i] : -1;
      let fresh = false;
      if (slot < 0 || this.ids[slot] !== id) {
        slot = this.slots.get(id);
        if (slot === undefined) {
          slot = this.free.length > 0 ? this.free.pop() : this.size++;
          if (slot >= this.capacity) this.#allocate(Math.max(this.capacity * 2, slot + 1));
          this.slots.set(id, slot);
          this.ids[slot] = id;
          this.count++;
          fresh = true;
        }
      }
      order[i] = slot;
      const lon = t.lonDeg;
      const lat = t.latDeg;
      const alt = t.altW84M;
      if (fresh || this.seen[slot] !== gen - 1 || this.lon[slot] !== lon || this.lat[slot] !== lat || this.alt[slot] !== alt) {
        this.lon[slot] = lon;
        this.lat[slot] = lat;
        this.alt[slot] = alt;
        this.moved[slot] = 1;
      } else {
        this.moved[slot] = 0;
      }
      this.altAgl[slot] = t.altAglM ?? NaN;
      this.speed[slot] = t.groundSpeedMps ?? 0;
      this.vn[slot] = t.vnMps ?? 0;
      this.ve[slot] = t.veMps ?? 0;
      this.vu[slot] = t.vuMps ?? 0;
      const c = t.conformance;
      this.conformance[slot] = c === 'conforming' ? 0 : c === 'nonconforming' ? 1 : c === 'contingent' ? 2 : 3;
      this.seen[slot] = gen;
      this.records[slot] = t;
    }
    this.orderLength = n;
    for (let s = 0; s < this.size; s++) {
      if (this.ids[s] !== null && this.seen[s] !== gen) {
        this.slots.delete(this.ids[s]);
        this.ids[s] = null;
        this.records[s] = null;
        this.free.push(s);
        this.freed.push(s);
        this.count--;
      }
    }
    return this.count;
  }

  /** The last API record of an aircraft, or null. */
  record(aircraftId) {
    const s = this.slots.get(aircraftId);
    return s === undefined ? null : this.records[s];
  }

  /** Every live record (a new array). */
  all() {
    const out = [];
    for (let s = 0; s < this.size; s++) if (this.ids[s] !== null) out.push(this.records[s]);
    return out;
  }
}

/** Index of a conformance name in CONFORMANCE_NAMES (what TrackStore.conformance holds). */
export const CONFORMANCE_NAMES = ['conforming', 'nonconforming', 'contingent', 'none'];

/** Dead reckoning: where a track is dtS seconds after its fix (flat-earth, metres to degrees at its latitude). */
export function extrapolate(t, dtS) {
  const mPerDegLat = 111_320;
  const mPerDegLon = mPerDegLat * Math.cos((t.latDeg * Math.PI) / 180);
  return {
    ...t,
    lonDeg: t.lonDeg + ((t.veMps ?? 0) * dtS) / mPerDegLon,
    latDeg: t.latDeg + ((t.vnMps ?? 0) * dtS) / mPerDegLat,
    altW84M: t.altW84M + (t.vuMps ?? 0) * dtS,
    altAglM: t.altAglM === undefined || t.altAglM === null ? t.altAglM : t.altAglM + (t.vuMps ?? 0) * dtS,
  };
}

// ---- exports -------------------------------------------------------------------------------------------------

const TRACK_FIELDS = ['aircraftId', 'source', 'lastUtc', 'lonDeg', 'latDeg', 'altW84M', 'altAmslM', 'altAglM', 'groundSpeedMps', 'trackDeg', 'vnMps', 'veMps', 'vuMps', 'conformance', 'intentId'];

function csvCell(v) {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function xml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }[c]));
}

/** Tracks as a GeoJSON FeatureCollection of 3D points (altitude = ellipsoidal height, as in the API). */
export function tracksToGeoJson(tracks) {
  return {
    type: 'FeatureCollection',
    features: tracks.map((t) => ({
      type: 'Feature',
      id: t.aircraftId,
      geometry: { type: 'Point', coordinates: [t.lonDeg, t.latDeg, t.altW84M] },
      properties: Object.fromEntries(TRACK_FIELDS.filter((f) => f !== 'lonDeg' && f !== 'latDeg').map((f) => [f, t[f] ?? null])),
    })),
  };
}

/** Tracks as CSV with a header row (RFC 4180 quoting). */
export function tracksToCsv(tracks) {
  const lines = [TRACK_FIELDS.join(',')];
  for (const t of tracks) lines.push(TRACK_FIELDS.map((f) => csvCell(t[f])).join(','));
  return lines.join('\r\n') + '\r\n';
}

/** Tracks as KML placemarks (absolute altitude: KML's is above sea level, so altAmslM when present). */
export function tracksToKml(tracks) {
  const placemarks = tracks.map((t) => `  <Placemark><name>${xml(t.aircraftId)}</name><TimeStamp><when>${xml(t.lastUtc)}</when></TimeStamp>`
    + `<ExtendedData>${['conformance', 'groundSpeedMps', 'trackDeg', 'intentId'].map((f) => `<Data name="${f}"><value>${xml(t[f])}</value></Data>`).join('')}</ExtendedData>`
    + `<Point><altitudeMode>absolute</altitudeMode><coordinates>${t.lonDeg},${t.latDeg},${t.altAmslM ?? t.altW84M}</coordinates></Point></Placemark>`);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Yunlu tracks</name>\n${placemarks.join('\n')}\n</Document></kml>\n`;
}

/** Tracks as CZML: a document packet, then one packet per aircraft with its positions over time
 * (cartographicDegrees with ellipsoidal heights). `histories` maps aircraftId to [{timeUtc, lonDeg, latDeg, altW84M}];
 * aircraft without a history get their current position. */
export function tracksToCzml(tracks, histories = {}) {
  const packets = [{ id: 'document', name: 'Yunlu tracks', version: '1.0' }];
  for (const t of tracks) {
    const points = histories[t.aircraftId]?.length ? histories[t.aircraftId] : [{ timeUtc: t.lastUtc, lonDeg: t.lonDeg, latDeg: t.latDeg, altW84M: t.altW84M }];
    const epoch = points[0].timeUtc;
    const e0 = Date.parse(epoch);
    const samples = [];
    for (const p of points) samples.push((Date.parse(p.timeUtc) - e0) / 1000, p.lonDeg, p.latDeg, p.altW84M);
    packets.push({
      id: t.aircraftId,
      name: t.aircraftId,
      availability: `${epoch}/${points[points.length - 1].timeUtc}`,
      position: points.length > 1 ? { epoch, cartographicDegrees: samples } : { cartographicDegrees: [t.lonDeg, t.latDeg, t.altW84M] },
      point: { pixelSize: 6, color: { rgba: [79, 195, 247, 255] } },
      properties: { conformance: t.conformance ?? 'none', intentId: t.intentId ?? null },
    });
  }
  return packets;
}

const WGS84_A = 6378137;
const WGS84_E2 = 6.69437999014e-3;
const DEG = Math.PI / 180;

/** WGS 84 geodetic (degrees, metres above the ellipsoid) to Earth-centred Earth-fixed metres, written into `out`
 * ({x, y, z}, e.g. a Cesium.Cartesian3): N = a / √(1 − e² sin² φ); x = (N + h) cos φ cos λ, y = (N + h) cos φ sin λ,
 * z = (N (1 − e²) + h) sin φ (the same frame as Cesium.Cartesian3.fromDegrees, without its temporaries). */
export function geodeticToEcef(lonDeg, latDeg, heightM, out) {
  const lat = latDeg * DEG;
  const lon = lonDeg * DEG;
  const sinLat = Math.sin(lat);
  const cosLat = Math.cos(lat);
  const n = WGS84_A / Math.sqrt(1 - WGS84_E2 * sinLat * sinLat);
  out.x = (n + heightM) * cosLat * Math.cos(lon);
  out.y = (n + heightM) * cosLat * Math.sin(lon);
  out.z = (n * (1 - WGS84_E2) + heightM) * sinLat;
  return out;
}
