// Yunlu console: a CesiumJS viewer over Yunlu's own API only. No ion token, no default imagery, no geocoder:
// every request goes to this server (the API and the local copy of CesiumJS).
import { TEXT, ZONE_COLOURS, apiBase, localName, readObstacle, readSite, readZone, siteStyle } from './model.js';

const Cesium = window.Cesium;
const API = apiBase(document);
// Where the camera goes on load: south of the city looking north over the old city, Guanshanhu and the airport.
const HOME = { lonDeg: 106.70, latDeg: 26.38, heightM: 21000, pitchDeg: -38 };
// Terrain level used to find the ground under buildings (geographic scheme: ≈ 38 m between samples).
const GROUND_LEVEL = 13;

const state = {
  lang: 'zh',
  geoidUndulationM: 0,
  zones: [],
  obstacles: [],
  sites: [],
  visible: { hillshade: true, terrain: true, zones: true, buildings: true, sites: true },
};

const yunlu = {
  viewer: null,
  layers: { hillshade: null, terrain: null, zones: null, buildings: null, sites: null },
  counts: { zones: 0, buildings: 0, sites: 0 },
  errors: [],
  get lang() { return state.lang; },
  get visible() { return { ...state.visible }; },
  setLanguage,
  setMode,
  setLayerVisible,
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

async function getJson(path) {
  const res = await fetch(`${API}${path}`, { headers: { Accept: 'application/json, application/geo+json' } });
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
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
        properties: { identifier: z.id, restriction: z.restriction },
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

function drawSites() {
  const source = yunlu.layers.sites;
  source.entities.removeAll();
  for (const s of state.sites) {
    const style = siteStyle(s.kind);
    const colour = Cesium.Color.fromCssColorString(style.colour);
    source.entities.add({
      id: `site:${s.id}`,
      name: localName(s.name, state.lang),
      description: `<p>${escapeHtml(s.id)} · ${escapeHtml(s.kind)}</p>${s.description ? `<p>${escapeHtml(s.description)}</p>` : ''}`,
      position: Cesium.Cartesian3.fromDegrees(s.lon, s.lat),
      point: {
        pixelSize: 10,
        color: colour,
        outlineColor: Cesium.Color.BLACK,
        outlineWidth: 1.5,
        heightReference: Cesium.HeightReference.CLAMP_TO_GROUND,
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
        heightReference: Cesium.HeightReference.CLAMP_TO_GROUND,
        disableDepthTestDistance: Number.POSITIVE_INFINITY,
        distanceDisplayCondition: new Cesium.DistanceDisplayCondition(0, 80000),
      },
    });
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
}

function updateCounts() {
  document.getElementById('count-zones').textContent = String(yunlu.counts.zones);
  document.getElementById('count-buildings').textContent = String(yunlu.counts.buildings);
  document.getElementById('count-sites').textContent = String(yunlu.counts.sites);
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
  drawSites();
}

/** Morphs the scene to '2d' or '3d'. */
function setMode(mode) {
  const scene = yunlu.viewer.scene;
  if (mode === '2d') scene.morphTo2D(0.8);
  else if (mode === '3d') scene.morphTo3D(0.8);
  else throw new Error(`unknown mode ${mode}`);
}

/** Shows or hides one layer: hillshade, terrain, zones, buildings or sites. */
function setLayerVisible(name, visible) {
  if (!(name in state.visible)) throw new Error(`unknown layer ${name}`);
  state.visible[name] = Boolean(visible);
  const box = document.getElementById(`layer-${name}`);
  if (box) box.checked = state.visible[name];
  const viewer = yunlu.viewer;
  switch (name) {
    case 'hillshade':
      yunlu.layers.hillshade.show = state.visible.hillshade;
      break;
    case 'terrain':
      viewer.terrainProvider = state.visible.terrain ? yunlu.layers.terrain : new Cesium.EllipsoidTerrainProvider();
      // Buildings stand on the ground they were given: re-seat them on the new surface.
      return drawBuildings();
    case 'zones':
      yunlu.layers.zones.show = state.visible.zones;
      break;
    case 'buildings':
      if (yunlu.layers.buildings) yunlu.layers.buildings.show = state.visible.buildings;
      break;
    default:
      yunlu.layers.sites.show = state.visible.sites;
  }
  return Promise.resolve();
}

function wireControls(viewer) {
  for (const name of Object.keys(state.visible)) {
    document.getElementById(`layer-${name}`).addEventListener('change', (e) => {
      setLayerVisible(name, e.target.checked).catch((err) => report(err));
    });
  }
  document.getElementById('lang').addEventListener('click', () => setLanguage(state.lang === 'zh' ? 'en' : 'zh'));
  document.getElementById('mode').addEventListener('click', () => setMode(viewer.scene.mode === Cesium.SceneMode.SCENE2D ? '3d' : '2d'));
  viewer.scene.morphComplete.addEventListener(updateModeButton);

  // Buildings are one batched primitive: show the picked one in the info box through a transient entity.
  const handler = new Cesium.ScreenSpaceEventHandler(viewer.scene.canvas);
  handler.setInputAction((click) => {
    const picked = viewer.scene.pick(click.position);
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
  yunlu.layers.zones = new Cesium.CustomDataSource('zones');
  yunlu.layers.sites = new Cesium.CustomDataSource('sites');
  await viewer.dataSources.add(yunlu.layers.zones);
  await viewer.dataSources.add(yunlu.layers.sites);

  wireControls(viewer);
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
  } catch (err) {
    report(err);
  }

  await Promise.all([
    loadLayer('/zones.geojson', readZone, 'zones', 'zones', drawZones),
    loadLayer('/sites.geojson', readSite, 'sites', 'sites', drawSites),
    loadLayer('/obstacles.geojson', readObstacle, 'obstacles', 'buildings', drawBuildings),
  ]);
  if (yunlu.errors.length === 0) {
    status(`${t('loaded')}: ${yunlu.counts.zones} / ${yunlu.counts.buildings} / ${yunlu.counts.sites}`);
  }
  return { ...yunlu.counts, errors: [...yunlu.errors] };
}

yunlu.ready = start().catch((err) => {
  report(err);
  return { ...yunlu.counts, errors: [...yunlu.errors] };
});
