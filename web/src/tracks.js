// The live picture's render layer: one PointPrimitiveCollection for every track (a point per store slot, updated in
// place in one loop) and a small LabelCollection for the selected track and the ones nearest the view centre.
// No entity per track: 10 000 tracks are 10 000 points of one primitive.
import { CONFORMANCE_COLOURS, CONFORMANCE_NAMES, TrackStore } from './model.js';

// WGS 84 (NIMA TR8350.2): semi-major axis (m) and first eccentricity squared, for the inline geodetic → ECEF.
const WGS84_A = 6378137;
const WGS84_E2 = 6.69437999014e-3;
const DEG = Math.PI / 180;

/** At most this many labels (selected + nearest the view centre within LABEL_RADIUS_M). */
const MAX_LABELS = 24;
const LABEL_RADIUS_M = 4000;

export class TrackLayer {
  /**
   * @param {object} Cesium the Cesium namespace
   * @param {object} scene the viewer's scene
   */
  constructor(Cesium, scene) {
    this.Cesium = Cesium;
    this.scene = scene;
    this.points = scene.primitives.add(new Cesium.PointPrimitiveCollection());
    this.labels = scene.primitives.add(new Cesium.LabelCollection());
    this.store = new TrackStore(1024);
    this.slotPoints = [];
    this.colours = CONFORMANCE_NAMES.map((n) => Cesium.Color.fromCssColorString(CONFORMANCE_COLOURS[n]));
    this.lastConformance = new Uint8Array(0);
    this.scratch = new Cesium.Cartesian3();
    this.selected = null;
    this.band = null;
    this.visible = true;
    this.lastUpdateMs = 0;
    this.updates = 0;
    this.shown = 0;
    this.labelled = [];
    this.labelPool = [];
  }

  /**
   * Applies a full picture (the API's Track objects) and updates every point in one loop. Returns the script time of
   * the update in milliseconds (performance.now around store + primitive updates; rendering is not included).
   */
  update(tracks) {
    const t0 = performance.now();
    const C = this.Cesium;
    const store = this.store;
    store.apply(tracks);
    const points = this.slotPoints;
    while (points.length < store.size) {
      points.push(this.points.add({ pixelSize: 7, outlineColor: C.Color.BLACK, outlineWidth: 1, show: false, id: null, disableDepthTestDistance: 5000 }));
    }
    if (this.lastConformance.length < store.size) {
      const grown = new Uint8Array(store.capacity).fill(255);
      grown.set(this.lastConformance);
      this.lastConformance = grown;
    }
    const scratch = this.scratch;
    const band = this.band;
    const layerVisible = this.visible;
    const minM = band === null ? -Infinity : band.minM;
    const maxM = band === null ? Infinity : band.maxM;
    const { lon, lat, alt, altAgl, conformance, ids, moved } = store;
    const last = this.lastConformance;
    const colours = this.colours;
    const size = store.size;
    let shown = 0;
    for (let s = 0; s < size; s++) {
      const p = points[s];
      const id = ids[s];
      if (id === null) {
        if (p.show) p.show = false;
        last[s] = 255;
        continue;
      }
      // Position only when it changed: geodetic → ECEF inline into the one scratch vector, which the point copies.
      if (moved[s] !== 0) {
        const phi = lat[s] * DEG;
        const lambda = lon[s] * DEG;
        const h = alt[s];
        const sinPhi = Math.sin(phi);
        const r = (WGS84_A / Math.sqrt(1 - WGS84_E2 * sinPhi * sinPhi));
        const rc = (r + h) * Math.cos(phi);
        scratch.x = rc * Math.cos(lambda);
        scratch.y = rc * Math.sin(lambda);
        scratch.z = (r * (1 - WGS84_E2) + h) * sinPhi;
        p.position = scratch;
      }
      if (p.id !== id) p.id = id;
      const c = conformance[s];
      if (last[s] !== c) {
        p.color = colours[c];
        last[s] = c;
      }
      const agl = altAgl[s];
      // NaN (no AGL height) passes the band: it is compared false both ways.
      const visible = layerVisible && !(agl < minM || agl > maxM);
      if (p.show !== visible) p.show = visible;
      if (visible) shown++;
    }
    this.shown = shown;
    this.updateLabels();
    this.updates++;
    this.lastUpdateMs = performance.now() - t0;
    return this.lastUpdateMs;
  }

  /** Labels for the selected track and the nearest ones around the view centre (within LABEL_RADIUS_M): a fixed pool
   * of MAX_LABELS labels whose text and position change only when the labelled aircraft or its height does. */
  updateLabels() {
    const C = this.Cesium;
    if (this.labelPool.length === 0) {
      for (let i = 0; i < MAX_LABELS; i++) {
        this.labelPool.push(this.labels.add({
          show: false,
          text: ' ',
          font: '12px system-ui, sans-serif',
          fillColor: C.Color.WHITE,
          outlineColor: C.Color.BLACK,
          outlineWidth: 3,
          style: C.LabelStyle.FILL_AND_OUTLINE,
          pixelOffset: new C.Cartesian2(8, -8),
          disableDepthTestDistance: Number.POSITIVE_INFINITY,
        }));
      }
    }
    this.labelled = [];
    const store = this.store;
    let used = 0;
    const add = (s) => {
      const label = this.labelPool[used++];
      const text = `${store.ids[s]} ${Math.round(Number.isFinite(store.altAgl[s]) ? store.altAgl[s] : store.alt[s])} m`;
      if (label.text !== text) label.text = text;
      label.position = this.slotPoints[s].position;
      if (!label.show) label.show = true;
      this.labelled.push(store.ids[s]);
    };
    if (this.visible) {
      const sel = this.selected === null ? undefined : store.slots.get(this.selected);
      if (sel !== undefined && this.slotPoints[sel].show) add(sel);
      const centre = this.viewCentre();
      if (centre) {
        const cosLat = Math.cos(centre.lat * Math.PI / 180);
        const r2 = (LABEL_RADIUS_M / 111_320) ** 2;
        const { lon, lat, ids } = store;
        for (let s = 0; s < store.size && used < MAX_LABELS; s++) {
          if (s === sel || ids[s] === null) continue;
          const dx = (lon[s] - centre.lon) * cosLat;
          const dy = lat[s] - centre.lat;
          if (dx * dx + dy * dy <= r2 && this.slotPoints[s].show) add(s);
        }
      }
    }
    for (let i = used; i < this.labelPool.length; i++) if (this.labelPool[i].show) this.labelPool[i].show = false;
  }

  /** The ground point under the screen centre (degrees), or null when the centre shows sky. */
  viewCentre() {
    const C = this.Cesium;
    const canvas = this.scene.canvas;
    const c = this.scene.camera.pickEllipsoid(new C.Cartesian2(canvas.clientWidth / 2, canvas.clientHeight / 2), C.Ellipsoid.WGS84);
    if (!c) return null;
    const g = C.Cartographic.fromCartesian(c);
    return { lon: C.Math.toDegrees(g.longitude), lat: C.Math.toDegrees(g.latitude) };
  }

  setVisible(visible) {
    this.visible = Boolean(visible);
    this.points.show = this.visible;
    this.labels.show = this.visible;
  }

  /** Scene state for tests: live tracks in the store, points existing and showing. */
  state() {
    let showing = 0;
    let withId = 0;
    for (let s = 0; s < this.slotPoints.length; s++) {
      const p = this.slotPoints[s];
      if (p.show) showing++;
      if (this.store.ids[s] !== null && p.id === this.store.ids[s]) withId++;
    }
    return {
      count: this.store.count,
      points: this.points.length,
      showing,
      withId,
      labels: this.labelled.length,
      labelled: [...this.labelled],
      lastUpdateMs: this.lastUpdateMs,
      updates: this.updates,
    };
  }
}
