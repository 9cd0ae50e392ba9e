// Live push of the supervision picture: the SignalR hub /hubs/supervision (the browser client from npm
// @microsoft/signalr, served by this server as vendor/signalr.min.js). The console subscribes to the area it shows
// (re-subscribed, debounced, when the camera stops moving); the server pushes "tracks" (the whole picture inside the
// area, about once a second) and "alert" (one alert per lifecycle event: raised, updated, cleared). While the hub is
// not connected the console polls the HTTP API instead (see app.js); the state is shown to the user.

/** The hub's path under the server root (the API base without /api/v1). */
export const HUB_PATH = '/hubs/supervision';

/** Connection states, in the order a healthy start goes through them. */
export const LIVE_STATES = ['connecting', 'live', 'reconnecting', 'polling'];

/** Wait after the last camera move before re-subscribing (ms). */
export const SUBSCRIBE_DEBOUNCE_MS = 400;

/** A view wider or taller than this (degrees) subscribes to everything (the whole picture is wanted anyway). */
const MAX_BBOX_SPAN_DEG = 10;

/** Cleared alerts stay in the list (struck through) this long after their clearing event, then leave it. */
export const KEEP_CLEARED_MS = 60_000;

/** After the hub closed for good (automatic reconnects exhausted or the first start failed), try again after this. */
const RESTART_MS = 15_000;

const RAD = 180 / Math.PI;

/**
 * The subscription box for a view rectangle (radians, as Cesium's camera.computeViewRectangle gives: west, south,
 * east, north), padded on each side by padFraction of its span so tracks just outside the edge are there when the
 * camera pans. Null (subscribe to everything) when there is no rectangle (sky), it crosses the antimeridian, or it
 * spans more than MAX_BBOX_SPAN_DEG. Returns [minLon, minLat, maxLon, maxLat] in degrees, clamped to the globe.
 */
export function viewBbox(rect, padFraction = 0.25) {
  if (!rect) return null;
  const w = rect.west * RAD;
  const s = rect.south * RAD;
  const e = rect.east * RAD;
  const n = rect.north * RAD;
  if (![w, s, e, n].every(Number.isFinite) || w > e || s > n) return null;
  if (e - w > MAX_BBOX_SPAN_DEG || n - s > MAX_BBOX_SPAN_DEG) return null;
  const padLon = (e - w) * padFraction;
  const padLat = (n - s) * padFraction;
  return [
    Math.max(-180, w - padLon),
    Math.max(-90, s - padLat),
    Math.min(180, e + padLon),
    Math.min(90, n + padLat),
  ];
}

/** True when two boxes (or nulls) are the same within toleranceDeg on every edge. */
export function sameBbox(a, b, toleranceDeg = 1e-4) {
  if (a === null || b === null) return a === b;
  for (let i = 0; i < 4; i++) if (Math.abs(a[i] - b[i]) > toleranceDeg) return false;
  return true;
}

/**
 * One alert lifecycle event applied to the list: the alert with the same id is replaced where it is (raised, updated,
 * acknowledged, cleared), a new id is appended; cleared alerts whose clearing is older than keepClearedMs leave the
 * list. Returns a new array (the input is not changed); the caller orders it.
 */
export function mergeAlert(alerts, alert, nowMs, keepClearedMs = KEEP_CLEARED_MS) {
  const out = [];
  let found = false;
  for (const a of alerts) {
    const current = a.id === alert.id ? alert : a;
    if (a.id === alert.id) found = true;
    if (current.state === 'cleared' && current !== alert) {
      const clearedMs = Date.parse(current.clearedUtc ?? current.updatedUtc ?? '');
      if (Number.isFinite(clearedMs) && nowMs - clearedMs > keepClearedMs) continue;
    }
    out.push(current);
  }
  if (!found) out.push(alert);
  return out;
}

/**
 * The hub connection with its subscription and state. Callbacks: onTracks(array of Track), onAlert(Alert),
 * onState(state) whenever the state changes, onConnected() after each (re)connection (to fetch what may have been
 * missed, e.g. the open alerts), onError(err).
 */
export class LiveFeed {
  /**
   * @param {object} options
   * @param {object} options.signalR the client namespace (window.signalR)
   * @param {string} options.url the hub's URL
   * @param {() => (string|null)} [options.token] the signed-in user's token, or null for public reads
   */
  constructor({ signalR, url, token = () => null, onTracks = () => {}, onAlert = () => {}, onState = () => {}, onConnected = () => {}, onError = () => {} }) {
    this.signalR = signalR;
    this.url = url;
    this.token = token;
    this.onTracks = onTracks;
    this.onAlert = onAlert;
    this.onState = onState;
    this.onConnected = onConnected;
    this.onError = onError;
    this.state = 'connecting';
    this.bbox = null;
    this.subscribed = undefined;
    this.connection = null;
    this.timer = null;
    this.restartTimer = null;
    this.stopped = false;
    this.messages = { tracks: 0, alert: 0 };
    this.subscriptions = 0;
  }

  /** True while the hub is connected (the console then asks the server for no live tracks or alerts). */
  get live() {
    return this.state === 'live';
  }

  #setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.onState(state);
  }

  /** Connects (once; later calls return the same attempt). Resolves true when connected, false when falling back. */
  start() {
    if (!this.signalR) {
      this.#setState('polling');
      return Promise.resolve(false);
    }
    if (!this.connection) {
      const S = this.signalR;
      const token = this.token;
      // The token only when signed in: browsers cannot set headers on WebSockets, so SignalR sends it as ?access_token.
      const options = { accessTokenFactory: () => token() ?? '' };
      const connection = new S.HubConnectionBuilder()
        .withUrl(this.url, options)
        .withAutomaticReconnect([0, 2000, 5000, 10000])
        .configureLogging(S.LogLevel.None)
        .build();
      connection.on('tracks', (tracks) => {
        this.messages.tracks++;
        this.onTracks(tracks);
      });
      connection.on('alert', (alert) => {
        this.messages.alert++;
        this.onAlert(alert);
      });
      connection.onreconnecting(() => this.#setState('reconnecting'));
      connection.onreconnected(() => this.#connected());
      connection.onclose(() => {
        this.#setState('polling');
        this.#scheduleRestart();
      });
      this.connection = connection;
    }
    return this.#connect();
  }

  async #connect() {
    this.#setState(this.state === 'polling' ? 'polling' : 'connecting');
    try {
      await this.connection.start();
    } catch (err) {
      this.onError(err);
      this.#setState('polling');
      this.#scheduleRestart();
      return false;
    }
    await this.#connected();
    return true;
  }

  async #connected() {
    this.subscribed = undefined;
    this.#setState('live');
    await this.#sendSubscription();
    try {
      await this.onConnected();
    } catch (err) {
      this.onError(err);
    }
  }

  #scheduleRestart() {
    if (this.stopped || this.restartTimer !== null) return;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopped && this.connection && this.connection.state === this.signalR.HubConnectionState.Disconnected) this.#connect();
    }, RESTART_MS);
  }

  /** The area to receive (a box from viewBbox, or null for everything), sent after SUBSCRIBE_DEBOUNCE_MS of quiet. */
  subscribe(bbox) {
    this.bbox = bbox;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.#sendSubscription();
    }, SUBSCRIBE_DEBOUNCE_MS);
  }

  async #sendSubscription() {
    if (!this.live || (this.subscribed !== undefined && sameBbox(this.subscribed, this.bbox))) return;
    const bbox = this.bbox;
    try {
      if (bbox === null) await this.connection.invoke('Subscribe', null, null, null, null);
      else await this.connection.invoke('Subscribe', bbox[0], bbox[1], bbox[2], bbox[3]);
      this.subscribed = bbox;
      this.subscriptions++;
    } catch (err) {
      this.onError(err);
    }
  }

  /** What tests and the status line read. */
  describe() {
    return {
      state: this.state,
      bbox: this.subscribed === undefined ? undefined : this.subscribed,
      subscriptions: this.subscriptions,
      messages: { ...this.messages },
    };
  }

  /** Closes the connection for good (no restart). */
  async stop() {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    if (this.connection) await this.connection.stop();
  }
}
