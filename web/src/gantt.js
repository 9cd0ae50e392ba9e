// The timeline (Gantt) of planned operations: pure layout, no DOM. Time runs left to right (epoch milliseconds to
// pixels), one row per intent or per aircraft (an aircraft's intents that overlap in time are packed into lanes), one
// bar per 4D volume window, coloured by the intent's state. manager.js draws the layout as SVG.

import { INTENT_COLOURS } from './model.js';

/** Colours of intent states (the intents layer's colours, plus the states that end an intent). */
export const STATE_COLOURS = {
  ...INTENT_COLOURS,
  ENDED: '#78909c',
  WITHDRAWN: '#9e9e9e',
  CANCELLED: '#616161',
};

/** The colour of a state (unknown states grey). */
export function stateColour(state) {
  return STATE_COLOURS[String(state ?? '').toUpperCase()] ?? '#90a4ae';
}

/** The volume windows of an intent as { index, startMs, endMs }, in time order; volumes without a valid window
 * (missing, unparsable or end ≤ start) are left out. */
export function intentWindows(intent) {
  const out = [];
  const volumes = intent?.volumes ?? [];
  for (let i = 0; i < volumes.length; i++) {
    const startMs = Date.parse(volumes[i]?.start ?? '');
    const endMs = Date.parse(volumes[i]?.end ?? '');
    if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || endMs <= startMs) continue;
    out.push({ index: i, startMs, endMs });
  }
  out.sort((a, b) => a.startMs - b.startMs || a.index - b.index);
  return out;
}

/** The earliest start and latest end of an intent's windows, or null when it has none. */
export function intentSpan(intent) {
  const w = intentWindows(intent);
  if (w.length === 0) return null;
  let endMs = w[0].endMs;
  for (const x of w) endMs = Math.max(endMs, x.endMs);
  return { startMs: w[0].startMs, endMs };
}

/** Greedy interval packing: items ({ startMs, endMs }) sorted by start go into the first lane whose last item ended
 * by their start (touching intervals share a lane). Returns { lanes: lane index per item (input order), count }.
 * The number of lanes equals the largest number of items overlapping at one instant (interval graph colouring). */
export function packLanes(items) {
  const order = items.map((_, i) => i).sort((a, b) => items[a].startMs - items[b].startMs || items[a].endMs - items[b].endMs || a - b);
  const laneEnds = [];
  const lanes = new Array(items.length).fill(0);
  for (const i of order) {
    let lane = laneEnds.findIndex((end) => end <= items[i].startMs);
    if (lane < 0) {
      lane = laneEnds.length;
      laneEnds.push(items[i].endMs);
    } else {
      laneEnds[lane] = items[i].endMs;
    }
    lanes[i] = lane;
  }
  return { lanes, count: laneEnds.length };
}

/** Rows of the chart. groupBy 'intent': one row per intent with windows, ordered by start. groupBy 'aircraft': one row
 * per aircraft (ordered by its first start), its intents packed into lanes. Returns [{ key, label, lanes,
 * items: [{ intent, lane, span, windows }] }]. */
export function buildRows(intents, groupBy = 'intent') {
  const entries = [];
  for (const intent of intents ?? []) {
    const windows = intentWindows(intent);
    if (windows.length === 0) continue;
    entries.push({ intent, windows, span: intentSpan(intent) });
  }
  entries.sort((a, b) => a.span.startMs - b.span.startMs || String(a.intent.id).localeCompare(String(b.intent.id)));
  if (groupBy === 'intent') {
    return entries.map((e) => ({
      key: String(e.intent.id),
      label: `${e.intent.aircraftId ?? '?'} · ${String(e.intent.id).slice(0, 8)}`,
      lanes: 1,
      items: [{ ...e, lane: 0 }],
    }));
  }
  if (groupBy !== 'aircraft') throw new Error(`groupBy: '${groupBy}' is not 'intent' or 'aircraft'`);
  const byAircraft = new Map();
  for (const e of entries) {
    const key = String(e.intent.aircraftId ?? '?');
    if (!byAircraft.has(key)) byAircraft.set(key, []);
    byAircraft.get(key).push(e);
  }
  const rows = [];
  for (const [key, list] of byAircraft) {
    const { lanes, count } = packLanes(list.map((e) => e.span));
    rows.push({ key, label: key, lanes: count, items: list.map((e, i) => ({ ...e, lane: lanes[i] })) });
  }
  // Map iteration keeps first-insertion order, and entries were sorted by start: rows come by first start.
  return rows;
}

/** A linear time scale over a view { startMs, endMs } drawn across widthPx pixels. */
export function timeScale(view, widthPx) {
  const span = view.endMs - view.startMs;
  if (!(span > 0) || !(widthPx > 0)) throw new Error('timeScale: the view needs endMs > startMs and a positive width');
  const k = widthPx / span;
  return {
    x: (ms) => (ms - view.startMs) * k,
    ms: (x) => view.startMs + x / k,
  };
}

export const MIN_SPAN_MS = 10 * 60_000;
export const MAX_SPAN_MS = 14 * 24 * 3600_000;

/** Zooms a view by factor (< 1 zooms in) around anchorMs, which stays at the same place on screen; the span is held
 * within [minSpanMs, maxSpanMs]. */
export function zoomView(view, factor, anchorMs, minSpanMs = MIN_SPAN_MS, maxSpanMs = MAX_SPAN_MS) {
  if (!(factor > 0)) throw new Error('zoomView: factor must be > 0');
  const span = view.endMs - view.startMs;
  const next = Math.min(maxSpanMs, Math.max(minSpanMs, span * factor));
  const anchor = Number.isFinite(anchorMs) ? anchorMs : (view.startMs + view.endMs) / 2;
  const f = (anchor - view.startMs) / span;
  const startMs = anchor - f * next;
  return { startMs, endMs: startMs + next };
}

/** Moves a view by deltaMs (positive: later). */
export function panView(view, deltaMs) {
  return { startMs: view.startMs + deltaMs, endMs: view.endMs + deltaMs };
}

/** A view showing every intent's windows with a margin of 3 % each side; null when there are none. */
export function fitView(intents) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const i of intents ?? []) {
    const s = intentSpan(i);
    if (!s) continue;
    lo = Math.min(lo, s.startMs);
    hi = Math.max(hi, s.endMs);
  }
  if (!Number.isFinite(lo)) return null;
  const span = Math.max(hi - lo, MIN_SPAN_MS);
  const mid = (lo + hi) / 2;
  return { startMs: mid - span * 0.53, endMs: mid + span * 0.53 };
}

const TICK_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880].map((m) => m * 60_000);

/** Axis ticks at the smallest 'nice' step (1 min … 2 days) that keeps ticks at least minGapPx apart. Times are
 * labelled in UTC with offsetMin added (480 for Beijing time): HH:mm, or MM-DD at midnights when the step is ≥ 1 h.
 * Returns [{ ms, x, label, major }] (major: a midnight in the labelled zone). */
export function ticks(view, widthPx, { minGapPx = 64, offsetMin = 0 } = {}) {
  const scale = timeScale(view, widthPx);
  const span = view.endMs - view.startMs;
  const step = TICK_STEPS_MS.find((s) => (s / span) * widthPx >= minGapPx) ?? TICK_STEPS_MS[TICK_STEPS_MS.length - 1];
  const offsetMs = offsetMin * 60_000;
  const first = Math.ceil((view.startMs + offsetMs) / step) * step - offsetMs;
  const out = [];
  for (let ms = first; ms <= view.endMs; ms += step) {
    const local = new Date(ms + offsetMs);
    const midnight = local.getUTCHours() === 0 && local.getUTCMinutes() === 0;
    const hhmm = local.toISOString().slice(11, 16);
    const label = midnight && step >= 3600_000 ? local.toISOString().slice(5, 10) : hhmm;
    out.push({ ms, x: scale.x(ms), label, major: midnight });
  }
  return out;
}

/** The whole chart: rows with their y, one bar per volume window inside the view (clipped to the width, at least
 * 2 px wide), and where "now" and the picture's time fall (null when outside).
 * options: { widthPx, rowHeightPx = 16, laneHeightPx = 12, groupBy, pendingIds (Set), selectedId, nowMs, cursorMs }. */
export function layoutGantt(intents, view, options) {
  const { widthPx, rowGapPx = 4, laneHeightPx = 12, groupBy = 'intent', pendingIds = new Set(), selectedId = null, nowMs = null, cursorMs = null } = options;
  const scale = timeScale(view, widthPx);
  const rows = buildRows(intents, groupBy);
  const outRows = [];
  const bars = [];
  let y = 0;
  for (const row of rows) {
    const h = row.lanes * laneHeightPx + rowGapPx;
    outRows.push({ key: row.key, label: row.label, y, h });
    for (const item of row.items) {
      const id = String(item.intent.id);
      const state = String(item.intent.state ?? '');
      for (const w of item.windows) {
        if (w.endMs <= view.startMs || w.startMs >= view.endMs) continue;
        const x0 = Math.max(0, scale.x(w.startMs));
        const x1 = Math.min(widthPx, scale.x(w.endMs));
        bars.push({
          intentId: id,
          volumeIndex: w.index,
          state,
          colour: stateColour(state),
          pending: pendingIds.has(id),
          selected: selectedId === id,
          x: x0,
          w: Math.max(2, x1 - x0),
          y: y + rowGapPx / 2 + item.lane * laneHeightPx,
          h: laneHeightPx - 2,
          startMs: w.startMs,
          endMs: w.endMs,
        });
      }
    }
    y += h;
  }
  const at = (ms) => (ms !== null && ms !== undefined && ms >= view.startMs && ms <= view.endMs ? scale.x(ms) : null);
  return { rows: outRows, bars, heightPx: y, nowX: at(nowMs), cursorX: at(cursorMs) };
}

/** The bar under (x, y), the last drawn (topmost) first; null when none. */
export function barAt(layout, x, y) {
  for (let i = layout.bars.length - 1; i >= 0; i--) {
    const b = layout.bars[i];
    if (x >= b.x && x <= b.x + b.w && y >= b.y && y <= b.y + b.h) return b;
  }
  return null;
}
