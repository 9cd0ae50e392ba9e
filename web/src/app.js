// Yunlu console: a CesiumJS viewer over Yunlu's own API only. No ion token, no default imagery, no geocoder:
// every request goes to this server (the API and the local copy of CesiumJS).
import {
  GRID_COLOURS, INTENT_COLOURS, SEVERITY_COLOURS, TEXT, ZONE_COLOURS, activeAt, alertCounts, apiBase, extrapolate, gridLayout,
  gridStatus, inBand, localName, occupancyAlpha, readCorridor, readIntentVolumes, readObstacle, readSite, readZone, siteStyle,
  sortAlerts, windArrowEnd, windColour,
} from './model.js';
import { TrackLayer } from './tracks.js';
import { HUB_PATH, LiveFeed, mergeAlert, viewBbox } from './live.js';
import { startViews } from './views.js';
import { startManager } from './manager.js';

const Cesium = window.Cesium;
const API = apiBase(document);
// Where the camera goes on load: south of the city looking north over the old city, Guanshanhu and the airport.
const HOME = { lonDeg: 106.70, latDeg: 26.38, heightM: 21000, pitchDeg: -38 };
// Terrain level used to find the ground under buildings (geographic scheme: ≈ 38 m between samples).
const GROUND_LEVEL = 13;
// The demo region: grid cells and wind are asked for this box.
const REGION = { west: 106.40, south: 26.38, east: 106.90, north: 26.70 };
const GRID_LEVEL = 4;
// The time slider spans this many minutes before and after the moment the console opened.
const SLIDER_PAST_MIN = 180;
const SLIDER_FUTURE_MIN = 360;
const TRACK_POLL_MS = 1000;
const ALERT_POLL_MS = 2000;
const INTENT_POLL_MS = 5000;
// While the hub pushes alerts, the open alerts are still read this often: the hub sends only those inside the view.
const ALERT_RECONCILE_MS = 30_000;
// The alert list and the map show the most severe alerts only (thousands of lost links would swamp both).
const MAX_ALERT_ITEMS = 200;
const MAX_ALERT_MARKERS = 500;

const state = {
  lang: 'zh',
  geoidUndulationM: 0,
  // Ground height (AMSL) at the city centre: AMSL/W84 limits are compared with the AGL band filter through it.
  cityGroundAmslM: 1070,
  zones: [],
  obstacles: [],
  sites: [],
  corridors: [],
  intents: [],
  alerts: [],
  grid: null,
  wind: [],
  band: null,
  timeMs: null,
  sliderOriginMs: Date.now(),
  playing: false,
  speed: 10,
  livePicture: [],
  supervision: { tracks: null, alerts: null, status: null },
  visible: {
    hillshade: true, terrain: true, zones: true, buildings: true, sites: true,
    corridors: true, grid: false, intents: true, tracks: true, weather: false, alerts: true,
    clearance: false,
  },
  auth: null,
};

const yunlu = {
  viewer: null,
  layers: {
    hillshade: null, terrain: null, zones: null, buildings: null, sites: null,
    corridors: null, grid: null, intents: null, tracks: null, weather: null, alerts: null,
    clearance: null,
  },
  counts: { zones: 0, buildings: 0, sites: 0, corridors: 0, grid: 0, intents: 0, tracks: 0, weather: 0, alerts: 0 },
  errors: [],
  get lang() { return state.lang; },
  get visible() { return { ...state.visible }; },
  get time() { return state.timeMs === null ? null : new Date(state.timeMs).toISOString(); },
  get band() { return state.band ? { ...state.band } : null; },
  get auth() { return state.auth ? { subject: state.auth.subject, role: state.auth.role } : null; },
  get alerts() { return state.alerts.map((a) => ({ ...a })); },
  get intents() { return state.intents.map((i) => ({ id: i.id, state: i.state })); },
  get supervision() { return { ...state.supervision }; },
  setLanguage,
  setMode,
  setLayerVisible,
  setTime,
  setBand,
  updateTracks,
  trackState: () => yunlu.layers.tracks.state(),
  refreshAlerts: () => pollAlerts(),
  refreshTracks: () => pollTracks(),
  // The SignalR feed (state, subscribed box, messages received) and the alert ids that arrived through it.
  feed: null,
  get live() { return yunlu.feed ? yunlu.feed.describe() : null; },
  hubAlertIds: new Set(),
  ready: null,
};
window.yunlu = yunlu;

function t(key) {
  return TEXT[state.lang][key] ?? key;
}

function status(text, isError = false) {
  const el = document.getElementById('status');
  el.textContent = text;
  el.classList.toggle('error', isError);
}

/** An API error with the server's problem details (RFC 9457) when it sent them. */
class ApiError extends Error {
  constructor(path, statusCode, problem) {
    const detail = problem?.violations?.map((v) => `${v.field}: ${v.message}`).join('; ') || problem?.detail || problem?.title || '';
    super(`${path}: HTTP ${statusCode}${detail ? ` ${detail}` : ''}`);
    this.status = statusCode;
    this.problem = problem;
  }
}

/** fetch against the API with the signed-in user's token (in the Authorization header, never the URL). */
async function api(path, { method = 'GET', body, headers = {}, raw = false } = {}) {
  const h = { Accept: 'application/json, application/geo+json, application/problem+json', ...headers };
  if (state.auth) h.Authorization = `Bearer ${state.auth.token}`;
  let payload = body;
  if (body !== undefined && !(body instanceof Blob) && !(body instanceof ArrayBuffer) && typeof body !== 'string') {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const res = await fetch(`${API}${path}`, { method, headers: h, body: payload });
  if (raw) return res;
  const text = await res.text();
  let json = null;
  if (text) {
    try { json = JSON.parse(text); } catch { json = null; }
  }
  if (!res.ok) throw new ApiError(path, res.status, json);
  return json;
}

async function getJson(path) {
  return api(path);
}

// ---- terrain and imagery -------------------------------------------------------------------------------------

function createTerrain() {
  return new Cesium.CustomHeightmapTerrainProvider({
    width: 65,
    height: 65,
    tilingScheme: new Cesium.GeographicTilingScheme(),
    credit: 'Yunlu terrain',
    callback: async (x, y, level) => {
      const res = await fetch(`${API}/terrain/heightmap/${level}/${x}/${y}`);
      if (!res.ok) throw new Error(`heightmap ${level}/${x}/${y}: HTTP ${res.status}`);
      return new Float32Array(await res.arrayBuffer());
    },
  });
}

function createHillshade() {
  return new Cesium.UrlTemplateImageryProvider({
    url: `${API}/tiles/hillshade/{z}/{x}/{y}.png`,
    tilingScheme: new Cesium.WebMercatorTilingScheme(),
    maximumLevel: 18,
    credit: 'Yunlu hillshade',
  });
}

/** The terrain-clearance layer: the free band under the 120 m AGL ceiling (red none → yellow → green full), tiles
 * rendered by the server from its DEM and obstacles; created on first use. */
function showClearance(shown) {
  const viewer = yunlu.viewer;
  if (shown && !yunlu.layers.clearance) {
    yunlu.layers.clearance = viewer.imageryLayers.addImageryProvider(new Cesium.UrlTemplateImageryProvider({
      url: `${API}/layers/clearance/{z}/{x}/{y}.png`,
      tilingScheme: new Cesium.WebMercatorTilingScheme(),
      minimumLevel: 0,
      maximumLevel: 18,
      credit: 'Yunlu terrain clearance',
    }));
  }
  if (yunlu.layers.clearance) yunlu.layers.clearance.show = shown;
}

// ---- zones ---------------------------------------------------------------------------------------------------

/** Cesium height and height reference for an altitude: AGL relative to the terrain, AMSL via the geoid, W84 as is. */
function cesiumHeight(alt) {
  if (alt.reference === 'AGL') return { height: alt.valueM, reference: Cesium.HeightReference.RELATIVE_TO_GROUND };
  const offset = alt.reference === 'AMSL' ? state.geoidUndulationM : 0;
  return { height: alt.valueM + offset, reference: Cesium.HeightReference.NONE };
}

function formatAltitude(alt) {
  return `${Math.round(alt.valueM * 10) / 10} m ${alt.reference}`;
}

function escapeHtml(s) {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function zoneDescription(z) {
  return `<table class="cesium-infoBox-defaultTable"><tbody>
<tr><th>ID</th><td>${escapeHtml(z.id)}</td></tr>
<tr><th>${escapeHtml(t('zones'))}</th><td>${escapeHtml(t(z.restriction))}</td></tr>
<tr><th>${escapeHtml(t('floor'))}</th><td>${escapeHtml(formatAltitude(z.lower))}</td></tr>
<tr><th>${escapeHtml(t('ceiling'))}</th><td>${escapeHtml(formatAltitude(z.upper))}</td></tr>
</tbody></table>${z.message ? `<p>${escapeHtml(z.message)}</p>` : ''}`;
}

function ring(coords) {
  const flat = [];
  const n = coords.length > 1 && coords[0][0] === coords[coords.length - 1][0] && coords[0][1] === coords[coords.length - 1][1]
    ? coords.length - 1 : coords.length;
  for (let i = 0; i < n; i++) flat.push(coords[i][0], coords[i][1]);
  return Cesium.Cartesian3.fromDegreesArray(flat);
}

function drawZones() {
  const source = yunlu.layers.zones;
  source.entities.removeAll();
  for (const z of state.zones) {
    const colour = Cesium.Color.fromCssColorString(ZONE_COLOURS[z.restriction]);
    const lo = cesiumHeight(z.lower);
    const up = cesiumHeight(z.upper);
    // Cesium draws outlines only for polygons at absolute heights.
    const outline = lo.reference === Cesium.HeightReference.NONE && up.reference === Cesium.HeightReference.NONE;
    z.polygons.forEach((rings, k) => {
      source.entities.add({
        id: `zone:${z.id}:${k}`,
        name: localName(z.name, state.lang),
        description: zoneDescription(z),
        properties: { identifier: z.id, restriction: z.restriction, zone: z },
        polygon: {
          hierarchy: new Cesium.PolygonHierarchy(ring(rings[0]), rings.slice(1).map((h) => new Cesium.PolygonHierarchy(ring(h)))),
          height: lo.height,
          heightReference: lo.reference,
          extrudedHeight: up.height,
          extrudedHeightReference: up.reference,
          material: colour.withAlpha(z.restriction === 'PROHIBITED' ? 0.35 : 0.28),
          outline,
          outlineColor: colour,
        },
      });
    });
  }
}

// ---- buildings -----------------------------------------------------------------------------------------------

function buildingColour(heightM) {
  // Low-rise light grey to towers blue-grey.
  const f = Math.min(1, heightM / 200);
  return new Cesium.Color(0.86 - 0.4 * f, 0.86 - 0.3 * f, 0.88 - 0.15 * f, 1);
}

async function groundHeights(obstacles) {
  if (!state.visible.terrain) return obstacles.map(() => 0);
  const points = obstacles.map((o) => {
    let lon = 0;
    let lat = 0;
    const n = o.ring.length - 1 || 1;
    for (let i = 0; i < n; i++) { lon += o.ring[i][0]; lat += o.ring[i][1]; }
    return Cesium.Cartographic.fromDegrees(lon / n, lat / n);
  });
  const sampled = await Cesium.sampleTerrain(yunlu.layers.terrain, GROUND_LEVEL, points);
  return sampled.map((c) => (Number.isFinite(c.height) ? c.height : 0));
}

async function drawBuildings() {
  const scene = yunlu.viewer.scene;
  if (yunlu.layers.buildings) {
    scene.primitives.remove(yunlu.layers.buildings);
    yunlu.layers.buildings = null;
  }
  if (state.obstacles.length === 0) return;
  const ground = await groundHeights(state.obstacles);
  const instances = state.obstacles.map((o, i) => new Cesium.GeometryInstance({
    id: `building:${i}`,
    geometry: new Cesium.PolygonGeometry({
      polygonHierarchy: new Cesium.PolygonHierarchy(ring(o.ring)),
      height: ground[i],
      extrudedHeight: ground[i] + o.heightM,
      vertexFormat: Cesium.PerInstanceColorAppearance.VERTEX_FORMAT,
    }),
    attributes: { color: Cesium.ColorGeometryInstanceAttribute.fromColor(buildingColour(o.heightM)) },
  }));
  const primitive = new Cesium.Primitive({
    geometryInstances: instances,
    appearance: new Cesium.PerInstanceColorAppearance({ translucent: false, closed: true }),
    show: state.visible.buildings,
  });
  yunlu.layers.buildings = scene.primitives.add(primitive);
}

// ---- sites ---------------------------------------------------------------------------------------------------

/** Ground heights (W84) under the sites: sampled once, then sites sit at absolute heights. Clamped points and labels
 * are not drawn in 2D (CLAMP_TO_GROUND needs the 3D globe's depth), which hid every site in 2D mode. */
async function siteGroundHeights(sites) {
  if (!state.visible.terrain || sites.length === 0) return sites.map(() => 0);
  const sampled = await Cesium.sampleTerrain(yunlu.layers.terrain, GROUND_LEVEL, sites.map((s) => Cesium.Cartographic.fromDegrees(s.lon, s.lat)));
  return sampled.map((c) => (Number.isFinite(c.height) ? c.height : 0));
}

/** Samples the ground under the sites (on load and when the terrain is switched), then draws them. */
async function seatSites() {
  state.siteGround = await siteGroundHeights(state.sites);
  drawSites();
}

/** Draws the sites on the ground heights last sampled (synchronous: a language switch relabels at once). */
function drawSites() {
  const ground = state.siteGround ?? [];
  const source = yunlu.layers.sites;
  source.entities.removeAll();
  state.sites.forEach((s, i) => {
    const style = siteStyle(s.kind);
    const colour = Cesium.Color.fromCssColorString(style.colour);
    source.entities.add({
      id: `site:${s.id}`,
      name: localName(s.name, state.lang),
      description: `<p>${escapeHtml(s.id)} · ${escapeHtml(s.kind)}</p>${s.description ? `<p>${escapeHtml(s.description)}</p>` : ''}`,
      position: Cesium.Cartesian3.fromDegrees(s.lon, s.lat, (ground[i] ?? 0) + 2),
      point: {
        pixelSize: 10,
        color: colour,
        outlineColor: Cesium.Color.BLACK,
        outlineWidth: 1.5,
        heightReference: Cesium.HeightReference.NONE,
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      },
      label: {
        text: localName(s.name, state.lang),
        font: '13px system-ui, "Noto Sans CJK SC", sans-serif',
        fillColor: Cesium.Color.WHITE,
        outlineColor: Cesium.Color.BLACK,
        outlineWidth: 3,
        style: Cesium.LabelStyle.FILL_AND_OUTLINE,
        verticalOrigin: Cesium.VerticalOrigin.BOTTOM,
        pixelOffset: new Cesium.Cartesian2(0, -10),
        heightReference: Cesium.HeightReference.NONE,
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
        distanceDisplayCondition: new Cesium.DistanceDisplayCondition(0, 80000),
      },
    });
  });
}

// ---- altitude band -------------------------------------------------------------------------------------------

/** An altitude as metres above the city's ground (the band filter's frame). */
function aboveGroundM(alt) {
  if (alt.reference === 'AGL') return alt.valueM;
  if (alt.reference === 'AMSL') return alt.valueM - state.cityGroundAmslM;
  return alt.valueM - state.geoidUndulationM - state.cityGroundAmslM;
}

function bandShows(lower, upper) {
  return inBand(aboveGroundM(lower), aboveGroundM(upper), state.band);
}

/** Shows only what meets [minM, maxM] metres above ground (zones, corridors, intents, tracks); null clears it. */
function setBand(minM, maxM, fromInputs = false) {
  if (minM === null || minM === undefined) {
    state.band = null;
  } else {
    const lo = Number(minM);
    const hi = Number(maxM);
    if (!Number.isFinite(lo) || !Number.isFinite(hi) || hi < lo) throw new Error('band: min and max are metres with max ≥ min');
    state.band = { minM: lo, maxM: hi };
  }
  // The inputs keep what the user typed (an empty side means open); a call from code writes the band into them.
  if (!fromInputs) {
    document.getElementById('band-min').value = state.band ? String(state.band.minM) : '';
    document.getElementById('band-max').value = state.band ? String(state.band.maxM) : '';
  }
  applyFilters();
}

/** Band and time applied to every entity layer (and the tracks' band). */
function applyFilters() {
  for (const e of yunlu.layers.zones.entities.values) {
    const z = e.properties.zone?.getValue();
    e.show = !z || bandShows(z.lower, z.upper);
  }
  for (const e of yunlu.layers.corridors.entities.values) {
    const c = e.properties.corridor?.getValue();
    e.show = !c || !c.floor || !c.ceiling || bandShows(c.floor, c.ceiling);
  }
  const now = currentTimeMs();
  let shownIntents = 0;
  for (const e of yunlu.layers.intents.entities.values) {
    const v = e.properties.volume?.getValue();
    if (!v) continue;
    const w84 = (m) => ({ valueM: m, reference: 'W84' });
    e.show = activeAt(v.startMs, v.endMs, now) && bandShows(w84(v.lowerW84M), w84(v.upperW84M));
    if (e.show) shownIntents++;
  }
  yunlu.counts.intentVolumesShown = shownIntents;
  yunlu.layers.tracks.band = state.band;
  updateCounts();
}

// ---- corridors -----------------------------------------------------------------------------------------------

function drawCorridors() {
  const source = yunlu.layers.corridors;
  source.entities.removeAll();
  const colour = Cesium.Color.fromCssColorString('#29b6f6');
  for (const c of state.corridors) {
    const lo = c.floor ? cesiumHeight(c.floor) : { height: 0, reference: Cesium.HeightReference.RELATIVE_TO_GROUND };
    const up = c.ceiling ? cesiumHeight(c.ceiling) : { height: 120, reference: Cesium.HeightReference.RELATIVE_TO_GROUND };
    c.polygons.forEach((rings, k) => {
      source.entities.add({
        id: `corridor:${c.id}:${k}`,
        name: localName(c.name, state.lang),
        description: `<p>${escapeHtml(c.id)}</p><p>${escapeHtml(t('floor'))} ${c.floor ? escapeHtml(formatAltitude(c.floor)) : '–'} · ${escapeHtml(t('ceiling'))} ${c.ceiling ? escapeHtml(formatAltitude(c.ceiling)) : '–'}</p>`,
        properties: { identifier: c.id, corridor: c },
        polygon: {
          hierarchy: new Cesium.PolygonHierarchy(ring(rings[0])),
          height: lo.height,
          heightReference: lo.reference,
          extrudedHeight: up.height,
          extrudedHeightReference: up.reference,
          material: colour.withAlpha(0.3),
        },
      });
    });
  }
}

// ---- BeiDou grid ---------------------------------------------------------------------------------------------

/** Grid cells over the region at the slider's time: status as colour, occupancy (live tracks in the cell) as opacity. */
async function loadGrid() {
  const at = new Date(currentTimeMs()).toISOString();
  const cells = await getJson(`/grid/cells?bbox=${REGION.west},${REGION.south},${REGION.east},${REGION.north}&level=${GRID_LEVEL}&time=${encodeURIComponent(at)}`);
  if (cells.cells.length === 0) return;
  const [first, last] = await Promise.all([
    getJson(`/grid/decode/${cells.cells[0].code}`),
    getJson(`/grid/decode/${cells.cells[cells.cells.length - 1].code}`),
  ]);
  const layout = gridLayout(first, last, cells.cells.length);
  if (!layout) throw new Error('grid: the cells do not form a rectangle');
  state.grid = { layout, cells: cells.cells, occupancy: new Uint16Array(cells.cells.length) };
  drawGrid();
}

function drawGrid() {
  const scene = yunlu.viewer.scene;
  if (yunlu.layers.grid) {
    scene.primitives.remove(yunlu.layers.grid);
    yunlu.layers.grid = null;
  }
  // A flat translucent sheet 150 m above the city's ground (W84): a plain primitive, since classifying 650 cells onto
  // the terrain (GroundPrimitive) makes every frame crawl in software GL.
  const heightW84M = state.cityGroundAmslM + state.geoidUndulationM + 150;
  const g = state.grid;
  if (!g) return;
  const { layout } = g;
  const instances = g.cells.map((cell, k) => {
    const col = k % layout.columns;
    const row = Math.floor(k / layout.columns);
    const w = layout.westDeg + col * layout.widthDeg;
    const s = layout.southDeg + row * layout.heightDeg;
    const colour = Cesium.Color.fromCssColorString(GRID_COLOURS[gridStatus(cell.status)]).withAlpha(occupancyAlpha(g.occupancy[k], cell.capacityPerHour));
    return new Cesium.GeometryInstance({
      id: `grid:${cell.code}`,
      geometry: new Cesium.RectangleGeometry({
        rectangle: Cesium.Rectangle.fromDegrees(w + layout.widthDeg * 0.04, s + layout.heightDeg * 0.04, w + layout.widthDeg * 0.96, s + layout.heightDeg * 0.96),
        height: heightW84M,
        vertexFormat: Cesium.PerInstanceColorAppearance.FLAT_VERTEX_FORMAT,
      }),
      attributes: { color: Cesium.ColorGeometryInstanceAttribute.fromColor(colour) },
    });
  });
  yunlu.layers.grid = scene.primitives.add(new Cesium.Primitive({
    geometryInstances: instances,
    appearance: new Cesium.PerInstanceColorAppearance({ translucent: true, flat: true }),
    show: state.visible.grid,
  }));
  yunlu.counts.grid = instances.length;
  updateCounts();
}

/** Counts the live tracks in each grid cell and re-colours the cells whose count changed. */
function updateOccupancy() {
  const g = state.grid;
  const prim = yunlu.layers.grid;
  if (!g || !prim || !prim.ready) return;
  const { layout } = g;
  const counts = new Uint16Array(g.cells.length);
  const store = yunlu.layers.tracks.store;
  for (let s = 0; s < store.size; s++) {
    if (store.ids[s] === null) continue;
    const col = Math.floor((store.lon[s] - layout.westDeg) / layout.widthDeg);
    const row = Math.floor((store.lat[s] - layout.southDeg) / layout.heightDeg);
    if (col < 0 || row < 0 || col >= layout.columns || row >= layout.rows) continue;
    counts[row * layout.columns + col]++;
  }
  for (let k = 0; k < counts.length; k++) {
    if (counts[k] === g.occupancy[k]) continue;
    g.occupancy[k] = counts[k];
    const cell = g.cells[k];
    const attrs = prim.getGeometryInstanceAttributes(`grid:${cell.code}`);
    if (!attrs) continue;
    const colour = Cesium.Color.fromCssColorString(GRID_COLOURS[gridStatus(cell.status)]).withAlpha(occupancyAlpha(counts[k], cell.capacityPerHour));
    attrs.color = Cesium.ColorGeometryInstanceAttribute.toValue(colour, attrs.color);
  }
}

// ---- weather -------------------------------------------------------------------------------------------------

/** Wind arrows over the region at the time (`weatherTime` input, else the slider's time), 50 m above ground. */
async function loadWeather() {
  const input = document.getElementById('weather-time');
  const at = input.value ? new Date(input.value).toISOString() : new Date(currentTimeMs()).toISOString();
  const res = await getJson(`/weather/limits?bbox=${REGION.west},${REGION.south},${REGION.east},${REGION.north}&limitMps=0.01&heightAgl=50&level=${GRID_LEVEL}&time=${encodeURIComponent(at)}`);
  state.wind = res.cells;
  drawWeather();
}

/** Wind arrows as one PolylineCollection (not clamped: ground polylines are costly in software GL) 400 m above the
 * city's ground, every second cell. */
function drawWeather() {
  const scene = yunlu.viewer.scene;
  if (yunlu.layers.weatherArrows) scene.primitives.remove(yunlu.layers.weatherArrows);
  const lines = new Cesium.PolylineCollection({ show: state.visible.weather });
  const heightW84M = state.cityGroundAmslM + state.geoidUndulationM + 400;
  const materials = {};
  state.wind.forEach((c, k) => {
    if (k % 2 !== 0) return;
    const end = windArrowEnd(c.lonDeg, c.latDeg, c.fromDeg, c.speedMps);
    const colour = windColour(c.speedMps);
    materials[colour] ??= Cesium.Material.fromType('PolylineArrow', { color: Cesium.Color.fromCssColorString(colour) });
    lines.add({
      id: `wind:${c.code}`,
      positions: Cesium.Cartesian3.fromDegreesArrayHeights([c.lonDeg, c.latDeg, heightW84M, end[0], end[1], heightW84M]),
      width: 10,
      material: materials[colour],
    });
  });
  yunlu.layers.weatherArrows = scene.primitives.add(lines);
  yunlu.counts.weather = state.wind.length;
  updateCounts();
}

// ---- operational intents (4D volumes) ------------------------------------------------------------------------

async function loadIntents() {
  if (!state.auth) {
    state.intents = [];
  } else {
    const from = new Date(state.sliderOriginMs - SLIDER_PAST_MIN * 60_000).toISOString();
    const to = new Date(state.sliderOriginMs + SLIDER_FUTURE_MIN * 60_000).toISOString();
    const page = await getJson(`/operations?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=1000`);
    state.intents = page.items;
  }
  drawIntents();
}

function drawIntents() {
  const source = yunlu.layers.intents;
  source.entities.removeAll();
  let volumes = 0;
  for (const intent of state.intents) {
    const colour = Cesium.Color.fromCssColorString(INTENT_COLOURS[intent.state] ?? '#90a4ae');
    for (const v of readIntentVolumes(intent)) {
      volumes++;
      source.entities.add({
        id: `intent:${intent.id}:${v.index}`,
        name: `${intent.aircraftId} · ${intent.state}`,
        description: `<p>${escapeHtml(intent.id)}</p><p>${escapeHtml(new Date(v.startMs).toISOString())} – ${escapeHtml(new Date(v.endMs).toISOString())}</p><p>${Math.round(v.lowerW84M)}–${Math.round(v.upperW84M)} m W84</p>`,
        properties: { intentId: intent.id, state: intent.state, volume: v },
        polygon: {
          hierarchy: new Cesium.PolygonHierarchy(ring(v.ring)),
          height: v.lowerW84M,
          extrudedHeight: v.upperW84M,
          material: colour.withAlpha(0.35),
          outline: true,
          outlineColor: colour,
        },
      });
    }
  }
  yunlu.counts.intents = volumes;
  applyFilters();
}

// ---- tracks, alerts, status (supervision API) ----------------------------------------------------------------

/** The time the picture shows: the slider's, or now when live. */
function currentTimeMs() {
  return state.timeMs ?? Date.now();
}

/** Applies a picture (Track objects) to the track layer; returns the script time of the update in ms. */
function updateTracks(tracks) {
  const ms = yunlu.layers.tracks.update(tracks);
  yunlu.counts.tracks = yunlu.layers.tracks.store.count;
  updateCounts();
  return ms;
}

// When the server has no supervision API (404 without a problem naming a field), ask again only after this long.
const MISSING_RETRY_MS = 30_000;
const missingSince = {};

function supervisionMissing(err, key) {
  if (err instanceof ApiError && err.status === 404 && !err.problem?.violations) {
    state.supervision[key] = 'missing';
    missingSince[key] = Date.now();
    return true;
  }
  return false;
}

function skipMissing(key) {
  return state.supervision[key] === 'missing' && Date.now() - missingSince[key] < MISSING_RETRY_MS;
}

/** Live: GET /supervision/tracks. Replay (slider in the past): /supervision/picture?at=. Future: dead reckoning from
 * the last live picture. */
async function pollTracks() {
  if (skipMissing('tracks')) return;
  const now = Date.now();
  const at = state.timeMs;
  try {
    if (at === null) {
      const res = await getJson('/supervision/tracks');
      state.livePicture = res.tracks;
      state.supervision.tracks = 'ok';
      // A picture asked for before the slider moved is not the one to show now.
      if (state.timeMs !== at) return;
      updateTracks(res.tracks);
    } else if (at <= now) {
      const res = await getJson(`/supervision/picture?at=${encodeURIComponent(new Date(at).toISOString())}`);
      state.supervision.tracks = 'ok';
      if (state.timeMs !== at && !state.playing) return;
      updateTracks(res.tracks);
    } else {
      const dtS = (at - now) / 1000;
      updateTracks(state.livePicture.map((tr) => extrapolate(tr, dtS)));
    }
    updateOccupancy();
    refreshDrawer();
  } catch (err) {
    if (!supervisionMissing(err, 'tracks')) report(err);
  }
}

async function pollAlerts() {
  if (skipMissing('alerts')) return;
  try {
    const res = await getJson('/supervision/alerts?open=true');
    state.alerts = sortAlerts(res.alerts);
    state.supervision.alerts = 'ok';
    drawAlerts();
  } catch (err) {
    if (!supervisionMissing(err, 'alerts')) report(err);
  }
}

// ---- live push (SignalR hub), polling only as its fallback ------------------------------------------------------

/** True while the hub pushes tracks and alerts (then the console does not poll them). */
function hubLive() {
  return yunlu.feed !== null && yunlu.feed.live;
}

function renderLiveStatus() {
  const el = document.getElementById('live-status');
  if (!el) return;
  const s = yunlu.feed ? yunlu.feed.state : 'polling';
  el.dataset.state = s;
  el.textContent = t(`live${s[0].toUpperCase()}${s.slice(1)}`);
}

/** A picture pushed by the hub: shown when the console is live (the slider at now) and the tracks layer is on. */
function onHubTracks(tracks) {
  state.livePicture = tracks;
  state.supervision.tracks = 'ok';
  if (state.timeMs !== null || !state.visible.tracks) return;
  updateTracks(tracks);
  updateOccupancy();
  refreshDrawer();
}

/** One alert lifecycle event from the hub, merged into the list in place. */
function onHubAlert(alert) {
  yunlu.hubAlertIds.add(alert.id);
  state.alerts = sortAlerts(mergeAlert(state.alerts, alert, Date.now()));
  state.supervision.alerts = 'ok';
  drawAlerts();
}

function startLive(viewer) {
  const root = API.replace(/\/api\/v1\/?$/, '');
  yunlu.feed = new LiveFeed({
    signalR: window.signalR,
    url: `${root}${HUB_PATH}`,
    token: () => state.auth?.token ?? null,
    onTracks: onHubTracks,
    onAlert: onHubAlert,
    onState: renderLiveStatus,
    // After each (re)connection: the open alerts (events may have been missed while disconnected).
    onConnected: () => pollAlerts(),
    onError: (err) => console.warn('supervision hub:', err),
  });
  const subscribeView = () => yunlu.feed.subscribe(viewBbox(viewer.camera.computeViewRectangle()));
  viewer.camera.moveEnd.addEventListener(subscribeView);
  subscribeView();
  renderLiveStatus();
  return yunlu.feed.start();
}

async function pollStatus() {
  if (skipMissing('status')) return;
  try {
    state.statusCounters = await getJson('/supervision/status');
    state.supervision.status = 'ok';
  } catch (err) {
    if (!supervisionMissing(err, 'status')) report(err);
  }
  renderCounters();
}

function drawAlerts() {
  const source = yunlu.layers.alerts;
  source.entities.removeAll();
  let markers = 0;
  for (const a of state.alerts) {
    if (!Number.isFinite(a.latDeg) || !Number.isFinite(a.lonDeg) || a.state === 'cleared') continue;
    // The most severe MAX_ALERT_MARKERS on the map (the list is sorted); the counters carry the rest.
    if (++markers > MAX_ALERT_MARKERS) break;
    source.entities.add({
      id: `alert:${a.id}`,
      name: `${t(a.severity)} · ${a.kind}`,
      description: `<p>${escapeHtml(a.message)}</p>`,
      position: Cesium.Cartesian3.fromDegrees(a.lonDeg, a.latDeg, 1500),
      point: {
        pixelSize: 11,
        color: Cesium.Color.fromCssColorString(SEVERITY_COLOURS[a.severity] ?? '#ffffff').withAlpha(a.acknowledgedUtc ? 0.4 : 0.95),
        outlineColor: Cesium.Color.WHITE,
        outlineWidth: 2,
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
      },
    });
  }
  yunlu.counts.alerts = state.alerts.length;
  updateCounts();
  renderAlertList();
}

let alertListKey = '';

/** Re-renders the list only when what it shows changed (ids, order, states, acknowledgements, language), so a
 * button being clicked is not replaced under the pointer every poll. */
function renderAlertList() {
  const list = document.getElementById('alert-list');
  const key = `${state.lang}|${state.supervision.alerts}|${state.alerts.slice(0, MAX_ALERT_ITEMS).map((a) => `${a.id}:${a.state === 'cleared' ? 'c' : 'o'}:${a.severity}:${a.acknowledgedUtc ? 'a' : ''}`).join(',')}`;
  if (key === alertListKey) return;
  alertListKey = key;
  list.replaceChildren();
  if (state.alerts.length === 0) {
    const li = document.createElement('li');
    li.className = 'empty';
    li.textContent = state.supervision.alerts === 'missing' ? t('notAvailable') : t('noAlerts');
    list.append(li);
  }
  for (const a of state.alerts.slice(0, MAX_ALERT_ITEMS)) {
    const li = document.createElement('li');
    li.className = `alert ${a.severity} ${a.state}${a.acknowledgedUtc ? ' acked' : ''}`;
    li.dataset.id = a.id;
    li.innerHTML = `<span class="sev">${escapeHtml(t(a.severity))}</span> <b>${escapeHtml(a.aircraft)}</b> ${escapeHtml(a.kind)}`
      + `${a.zone ? ` · ${escapeHtml(a.zone)}` : ''}<br><small>${escapeHtml(a.message ?? '')}${a.advisory ? ` → ${escapeHtml(a.advisory)}` : ''}</small>`
      + `${a.acknowledgedUtc ? `<br><small>✓ ${escapeHtml(a.acknowledgedBy ?? '')}</small>` : ''}`;
    const jump = document.createElement('button');
    jump.type = 'button';
    jump.className = 'jump';
    jump.textContent = t('jump');
    jump.addEventListener('click', () => jumpTo(a.lonDeg, a.latDeg, a.aircraft));
    li.append(' ', jump);
    if (!a.acknowledgedUtc) {
      const ack = document.createElement('button');
      ack.type = 'button';
      ack.className = 'ack';
      ack.textContent = t('ack');
      ack.addEventListener('click', () => acknowledge(a.id));
      li.append(' ', ack);
    }
    list.append(li);
  }
}

async function acknowledge(id) {
  try {
    const updated = await api(`/supervision/alerts/${encodeURIComponent(id)}/ack`, { method: 'POST' });
    state.alerts = sortAlerts(state.alerts.map((a) => (a.id === id ? updated : a)));
    drawAlerts();
  } catch (err) {
    report(err);
  }
}

/** Flies to a position (and selects the aircraft's track when given). */
function jumpTo(lonDeg, latDeg, aircraftId = null) {
  if (aircraftId) selectTrack(aircraftId);
  yunlu.viewer.camera.flyTo({
    destination: Cesium.Cartesian3.fromDegrees(lonDeg, latDeg - 0.02, 3500),
    orientation: { heading: 0, pitch: Cesium.Math.toRadians(-45), roll: 0 },
    duration: 1.2,
  });
}

function renderCounters() {
  const el = document.getElementById('sv-counters');
  if (!el) return;
  const c = alertCounts(state.alerts);
  const s = state.statusCounters;
  el.innerHTML = `<span><b id="counter-tracks">${yunlu.counts.tracks}</b> ${escapeHtml(t('tracks'))}</span>`
    + `<span class="warning"><b>${c.warning}</b> ${escapeHtml(t('warning'))}</span>`
    + `<span class="caution"><b>${c.caution}</b> ${escapeHtml(t('caution'))}</span>`
    + `<span class="advisory"><b>${c.advisory}</b> ${escapeHtml(t('advisory'))}</span>`
    + (s ? `<span><b>${Math.round(s.positionsPerSecond ?? 0)}</b> ${escapeHtml(t('positionsPerSecond'))}</span>` : '');
}

// ---- track drawer and follow camera -------------------------------------------------------------------------

function selectTrack(aircraftId) {
  yunlu.layers.tracks.selected = aircraftId;
  yunlu.selectedTrack = aircraftId;
  refreshDrawer();
  document.getElementById('drawer').hidden = aircraftId === null;
}

function refreshDrawer() {
  const id = yunlu.layers.tracks.selected;
  if (id === null) return;
  const r = yunlu.layers.tracks.store.record(id);
  const body = document.getElementById('drawer-body');
  if (!r) {
    body.textContent = `${id}: –`;
    return;
  }
  const row = (k, v) => `<tr><th>${escapeHtml(t(k))}</th><td>${escapeHtml(v)}</td></tr>`;
  body.innerHTML = `<h3>${escapeHtml(r.aircraftId)}${r.manned ? ' ✈' : ''}</h3><table>`
    + row('intent', r.intentId ?? '–')
    + row('altitude', `${Math.round(r.altAglM ?? NaN)} m AGL · ${Math.round(r.altAmslM ?? NaN)} m AMSL · ${Math.round(r.altW84M)} m W84`)
    + row('groundSpeed', `${(r.groundSpeedMps ?? 0).toFixed(1)} m/s · ${Math.round(r.trackDeg ?? 0)}°`)
    + row('age', `${(r.ageS ?? 0).toFixed(1)} s`)
    + row('conformance', r.conformance ?? 'none')
    + row('kind', r.source ?? '–')
    + '</table>';
  if (yunlu.following === id) {
    yunlu.viewer.camera.lookAt(Cesium.Cartesian3.fromDegrees(r.lonDeg, r.latDeg, r.altW84M), new Cesium.HeadingPitchRange(0, Cesium.Math.toRadians(-30), 1500));
  }
}

// ---- time slider and replay ----------------------------------------------------------------------------------

/** Moves the picture to a time (ISO string or epoch ms); null goes live. Intents are filtered by their windows,
 * tracks come from the recorded picture (past) or dead reckoning (future). */
function setTime(time) {
  if (time === null || time === undefined) {
    state.timeMs = null;
  } else {
    const ms = typeof time === 'number' ? time : Date.parse(time);
    if (!Number.isFinite(ms)) throw new Error(`time: '${time}' is not an ISO-8601 time`);
    state.timeMs = ms;
  }
  renderTime();
  applyFilters();
  return pollTracks();
}

function renderTime() {
  const slider = document.getElementById('time-slider');
  const ms = currentTimeMs();
  slider.value = String(Math.round((ms - state.sliderOriginMs) / 60_000));
  const label = document.getElementById('time-label');
  label.textContent = `${state.timeMs === null ? t('live') : t('replay')} ${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
  document.getElementById('timebar').classList.toggle('replaying', state.timeMs !== null);
  document.getElementById('time-play').textContent = state.playing ? t('pause') : t('play');
}

let lastTick = 0;
function tick() {
  const now = performance.now();
  const dt = lastTick ? now - lastTick : 0;
  lastTick = now;
  if (state.playing && state.timeMs !== null) {
    state.timeMs += dt * state.speed;
    if (state.timeMs >= Date.now()) {
      state.timeMs = null;
      state.playing = false;
    }
    renderTime();
    applyFilters();
  }
}

// ---- controls ------------------------------------------------------------------------------------------------

function applyText() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  document.getElementById('lang').textContent = t('lang');
  updateModeButton();
  updateCounts();
  renderTime();
  renderAlertList();
  renderCounters();
  renderLiveStatus();
  yunlu.views?.applyText();
  yunlu.managerViews?.applyText();
}

function updateCounts() {
  for (const [name, value] of Object.entries(yunlu.counts)) {
    const el = document.getElementById(`count-${name}`);
    if (el) el.textContent = String(value);
  }
  renderCounters();
}

function updateModeButton() {
  const in2d = yunlu.viewer?.scene.mode === Cesium.SceneMode.SCENE2D;
  document.getElementById('mode').textContent = in2d ? t('mode3d') : t('mode2d');
}

/** Switches the UI and the map labels to 'zh' or 'en'. */
function setLanguage(lang) {
  if (lang !== 'zh' && lang !== 'en') throw new Error(`unknown language ${lang}`);
  state.lang = lang;
  applyText();
  drawZones();
  drawCorridors();
  applyFilters();
  drawSites();
}

/** Morphs the scene to '2d' or '3d'. */
function setMode(mode) {
  const scene = yunlu.viewer.scene;
  if (mode === '2d') scene.morphTo2D(0.8);
  else if (mode === '3d') scene.morphTo3D(0.8);
  else throw new Error(`unknown mode ${mode}`);
}

/** Shows or hides one layer (see state.visible for the names). */
function setLayerVisible(name, visible) {
  if (!(name in state.visible)) throw new Error(`unknown layer ${name}`);
  state.visible[name] = Boolean(visible);
  const box = document.getElementById(`layer-${name}`);
  if (box) box.checked = state.visible[name];
  const viewer = yunlu.viewer;
  const shown = state.visible[name];
  switch (name) {
    case 'hillshade':
      yunlu.layers.hillshade.show = shown;
      break;
    case 'clearance':
      showClearance(shown);
      break;
    case 'terrain':
      viewer.terrainProvider = shown ? yunlu.layers.terrain : new Cesium.EllipsoidTerrainProvider();
      // Buildings and sites stand on the ground they were given: re-seat them on the new surface.
      return Promise.all([drawBuildings(), seatSites()]);
    case 'buildings':
      if (yunlu.layers.buildings) yunlu.layers.buildings.show = shown;
      break;
    case 'grid':
      if (shown && !state.grid) return loadGrid().catch(report);
      if (yunlu.layers.grid) yunlu.layers.grid.show = shown;
      break;
    case 'weather':
      yunlu.layers.weather.show = shown;
      if (yunlu.layers.weatherArrows) yunlu.layers.weatherArrows.show = shown;
      if (shown) return loadWeather().catch(report);
      break;
    case 'tracks':
      yunlu.layers.tracks.setVisible(shown);
      if (shown) return pollTracks();
      break;
    default:
      yunlu.layers[name].show = shown;
  }
  return Promise.resolve();
}

/** Lon/lat (degrees) of the ground under a screen position: the terrain in 3D, else the ellipsoid. */
function pickLonLat(position) {
  const scene = yunlu.viewer.scene;
  let c;
  if (scene.mode === Cesium.SceneMode.SCENE3D) {
    const ray = scene.camera.getPickRay(position);
    if (ray) c = scene.globe.pick(ray, scene);
  }
  if (!c) c = scene.camera.pickEllipsoid(position, Cesium.Ellipsoid.WGS84);
  if (!c) return null;
  const g = Cesium.Cartographic.fromCartesian(c);
  return { lonDeg: Cesium.Math.toDegrees(g.longitude), latDeg: Cesium.Math.toDegrees(g.latitude) };
}

function wireControls(viewer) {
  for (const name of Object.keys(state.visible)) {
    document.getElementById(`layer-${name}`).addEventListener('change', (e) => {
      Promise.resolve(setLayerVisible(name, e.target.checked)).catch((err) => report(err));
    });
  }
  document.getElementById('lang').addEventListener('click', () => setLanguage(state.lang === 'zh' ? 'en' : 'zh'));
  document.getElementById('mode').addEventListener('click', () => setMode(viewer.scene.mode === Cesium.SceneMode.SCENE2D ? '3d' : '2d'));
  viewer.scene.morphComplete.addEventListener(updateModeButton);

  const band = () => {
    const lo = document.getElementById('band-min').value;
    const hi = document.getElementById('band-max').value;
    try {
      if (lo === '' && hi === '') setBand(null, null, true);
      else setBand(lo === '' ? 0 : lo, hi === '' ? 100000 : hi, true);
    } catch (err) {
      report(err);
    }
  };
  document.getElementById('band-min').addEventListener('change', band);
  document.getElementById('band-max').addEventListener('change', band);
  document.getElementById('weather-time').addEventListener('change', () => { if (state.visible.weather) loadWeather().catch(report); });

  const slider = document.getElementById('time-slider');
  slider.min = String(-SLIDER_PAST_MIN);
  slider.max = String(SLIDER_FUTURE_MIN);
  slider.addEventListener('input', () => {
    const ms = state.sliderOriginMs + Number(slider.value) * 60_000;
    setTime(Math.abs(ms - Date.now()) < 60_000 ? null : ms).catch(report);
  });
  document.getElementById('time-live').addEventListener('click', () => { state.playing = false; setTime(null).catch(report); });
  document.getElementById('time-play').addEventListener('click', () => {
    if (state.timeMs === null) return;
    state.playing = !state.playing;
    renderTime();
  });
  document.getElementById('time-speed').addEventListener('change', (e) => { state.speed = Number(e.target.value); });
  document.getElementById('drawer-close').addEventListener('click', () => { yunlu.following = null; viewer.camera.lookAtTransform(Cesium.Matrix4.IDENTITY); selectTrack(null); });
  document.getElementById('drawer-follow').addEventListener('click', () => {
    yunlu.following = yunlu.following === yunlu.layers.tracks.selected ? null : yunlu.layers.tracks.selected;
    if (yunlu.following === null) viewer.camera.lookAtTransform(Cesium.Matrix4.IDENTITY);
    refreshDrawer();
  });

  // One click handler: the active tool of a view (check, plan, draw) takes the ground position; otherwise a click
  // picks a track, a building or an entity.
  const handler = new Cesium.ScreenSpaceEventHandler(viewer.scene.canvas);
  handler.setInputAction((click) => {
    if (yunlu.tool) {
      const p = pickLonLat(click.position);
      if (p) yunlu.tool(p);
      return;
    }
    const picked = viewer.scene.pick(click.position);
    if (picked?.primitive instanceof Cesium.PointPrimitive && typeof picked.id === 'string') {
      selectTrack(picked.id);
      return;
    }
    if (typeof picked?.id === 'string' && picked.id.startsWith('building:')) {
      const o = state.obstacles[Number(picked.id.slice('building:'.length))];
      viewer.selectedEntity = new Cesium.Entity({
        name: o.name ? localName(o.name, state.lang) : o.id,
        description: `<table class="cesium-infoBox-defaultTable"><tbody>
<tr><th>ID</th><td>${escapeHtml(o.id)}</td></tr>
<tr><th>${escapeHtml(t('kind'))}</th><td>${escapeHtml(o.kind)}</td></tr>
<tr><th>${escapeHtml(t('height'))}</th><td>${escapeHtml(Math.round(o.heightM * 10) / 10)} m AGL</td></tr>
</tbody></table>`,
      });
    }
  }, Cesium.ScreenSpaceEventType.LEFT_CLICK);
}

function report(err) {
  const message = err instanceof Error ? err.message : String(err);
  yunlu.errors.push(message);
  console.error(err);
  status(`${t('failed')}: ${message}`, true);
}

// ---- start ---------------------------------------------------------------------------------------------------

async function loadLayer(path, read, into, countKey, draw) {
  try {
    const fc = await getJson(path);
    state[into] = (fc.features ?? []).map(read).filter((x) => x !== null);
    yunlu.counts[countKey] = state[into].length;
    await draw();
  } catch (err) {
    report(err);
  }
  updateCounts();
}

/** Reloads the zones layer (after a manager stored one). */
async function reloadZones() {
  await loadLayer('/zones.geojson', readZone, 'zones', 'zones', drawZones);
  applyFilters();
}

function every(ms, fn) {
  let busy = false;
  setInterval(() => {
    if (busy) return;
    busy = true;
    Promise.resolve(fn()).finally(() => { busy = false; });
  }, ms);
}

async function start() {
  const terrain = createTerrain();
  const viewer = new Cesium.Viewer('viewer', {
    // Offline: no ion, no Bing, no geocoder, no base-layer picker; only our imagery and terrain.
    baseLayer: false,
    baseLayerPicker: false,
    geocoder: false,
    homeButton: false,
    sceneModePicker: false,
    navigationHelpButton: false,
    animation: false,
    timeline: false,
    fullscreenButton: false,
    terrainProvider: terrain,
  });
  viewer.scene.globe.baseColor = Cesium.Color.fromCssColorString('#35443a');
  viewer.scene.globe.depthTestAgainstTerrain = true;
  // The hillshade carries the relief; ground atmosphere and fog would wash it out at city scale.
  viewer.scene.globe.showGroundAtmosphere = false;
  viewer.scene.fog.enabled = false;
  yunlu.viewer = viewer;
  yunlu.layers.terrain = terrain;
  yunlu.layers.hillshade = viewer.imageryLayers.addImageryProvider(createHillshade());
  for (const name of ['zones', 'sites', 'corridors', 'intents', 'weather', 'alerts']) {
    yunlu.layers[name] = new Cesium.CustomDataSource(name);
    yunlu.layers[name].show = state.visible[name];
    await viewer.dataSources.add(yunlu.layers[name]);
  }
  yunlu.layers.tracks = new TrackLayer(Cesium, viewer.scene);
  for (const [name, shown] of Object.entries(state.visible)) {
    const box = document.getElementById(`layer-${name}`);
    if (box) box.checked = shown;
  }

  wireControls(viewer);
  yunlu.views = startViews({
    Cesium, viewer, yunlu, state, api, t, status, report, escapeHtml, ring, jumpTo, reloadZones, loadIntents, drawIntents,
    ApiError, currentTimeMs,
  });
  yunlu.managerViews = startManager({
    Cesium, viewer, yunlu, state, api, t, report, escapeHtml, ring, ApiError, currentTimeMs, setTime, reloadZones,
    reloadCorridors: async () => {
      await loadLayer('/corridors.geojson', readCorridor, 'corridors', 'corridors', drawCorridors);
      applyFilters();
    },
  });
  applyText();
  status(t('loading'));
  viewer.camera.flyTo({
    destination: Cesium.Cartesian3.fromDegrees(HOME.lonDeg, HOME.latDeg, HOME.heightM),
    orientation: { heading: 0, pitch: Cesium.Math.toRadians(HOME.pitchDeg), roll: 0 },
    duration: 2.5,
  });

  // The geoid undulation at the city turns AMSL limits into the ellipsoidal heights Cesium draws in
  // (it varies by about a metre over the demo region).
  try {
    const h = await getJson(`/terrain/height?lon=${HOME.lonDeg}&lat=26.58`);
    if (Number.isFinite(h.geoidUndulationM)) state.geoidUndulationM = h.geoidUndulationM;
    const ground = h.groundAmslM ?? h.groundM;
    if (Number.isFinite(ground)) state.cityGroundAmslM = ground;
  } catch (err) {
    report(err);
  }

  await Promise.all([
    loadLayer('/zones.geojson', readZone, 'zones', 'zones', drawZones),
    loadLayer('/sites.geojson', readSite, 'sites', 'sites', seatSites),
    loadLayer('/obstacles.geojson', readObstacle, 'obstacles', 'buildings', drawBuildings),
    loadLayer('/corridors.geojson', readCorridor, 'corridors', 'corridors', drawCorridors),
  ]);
  applyFilters();
  await Promise.all([pollTracks(), pollAlerts(), pollStatus()]);
  // Live tracks and alerts come from the hub; the polls below run only while it is not connected (and for replay).
  startLive(viewer);
  every(TRACK_POLL_MS, () => (state.visible.tracks && (state.timeMs === null ? !hubLive() : state.playing) ? pollTracks() : null));
  every(ALERT_POLL_MS, () => Promise.all([hubLive() ? null : pollAlerts(), pollStatus()]));
  every(ALERT_RECONCILE_MS, () => (hubLive() ? pollAlerts() : null));
  every(INTENT_POLL_MS, () => (state.auth ? loadIntents().catch(report) : null));
  viewer.scene.preUpdate.addEventListener(tick);
  if (yunlu.errors.length === 0) {
    status(`${t('loaded')}: ${yunlu.counts.zones} / ${yunlu.counts.buildings} / ${yunlu.counts.sites}`);
  }
  return { ...yunlu.counts, errors: [...yunlu.errors] };
}

yunlu.ready = start().catch((err) => {
  report(err);
  return { ...yunlu.counts, errors: [...yunlu.errors] };
});
