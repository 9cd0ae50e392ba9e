// Pure helpers of the manager's views (no DOM, no Cesium): the airway network request and report, heading-layer
// colours, zone schedules between the form and the zones API, corridor centre-lines, and which form field a
// server violation belongs to.

export const DAYS = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

/** Colour of heading layer `index` of `count`: the hue walks the compass (layer 0 flies 0°…360/count), so opposing
 * layers sit half the wheel apart. */
export function layerColour(index, count) {
  const n = Math.max(1, count | 0);
  const i = ((index % n) + n) % n;
  const hue = Math.round(((i + 0.5) * 360) / n);
  return `hsl(${hue}, 85%, 55%)`;
}

/** The great-circle distance in metres between two lon/lat points (haversine, spherical Earth R = 6 371 008.8 m). */
export function distanceM(a, b) {
  const r = 6371008.8;
  const toRad = Math.PI / 180;
  const dLat = (b.latDeg - a.latDeg) * toRad;
  const dLon = (b.lonDeg - a.lonDeg) * toRad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latDeg * toRad) * Math.cos(b.latDeg * toRad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** The site (state.sites: { id, lon, lat }) nearest to p within maxM metres, or null. */
export function nearestSite(sites, p, maxM) {
  let best = null;
  let bestM = maxM;
  for (const s of sites ?? []) {
    const d = distanceM(p, { lonDeg: s.lon, latDeg: s.lat });
    if (d <= bestM) {
      best = s;
      bestM = d;
    }
  }
  return best;
}

/** The POST /airways/generate body: vertiports ({ siteId } or { id, name, lonDeg, latDeg }) and the option fields that
 * hold a number (or the id prefix); blank options are left to the server's defaults. avoid: keep out of the stored
 * prohibited zones and of stored obstacles too tall for the lowest layer (both by default). */
export function networkRequest(vertiports, options = {}, store = false, avoid = { zones: true, obstacles: true }) {
  const siteIds = [];
  const points = [];
  for (const v of vertiports) {
    if (v.siteId) siteIds.push(v.siteId);
    else points.push({ id: v.id, name: v.name ?? v.id, lon: v.lonDeg, lat: v.latDeg });
  }
  const o = {};
  for (const [k, v] of Object.entries(options)) {
    if (v === '' || v === null || v === undefined) continue;
    if (k === 'idPrefix') o.idPrefix = String(v);
    else {
      const n = Number(v);
      if (Number.isFinite(n)) o[k] = k === 'headingLayers' ? Math.trunc(n) : n;
      else o[k] = v;
    }
  }
  return { siteIds, points, options: o, avoidStoredZones: avoid.zones !== false, avoidStoredObstacles: avoid.obstacles !== false, store };
}

/** The generated network (the endpoint's GeoJSON) as { nodes, corridors, layers, report, stored }: nodes
 * { id, name, kind, lonDeg, latDeg }, corridors { id, from, to, layer, lengthM, floor, ceiling, capacityPerHour, line }. */
export function readNetwork(fc) {
  const nodes = [];
  const corridors = [];
  for (const f of fc?.features ?? []) {
    const p = f.properties ?? {};
    if (p.type === 'airway-node' && f.geometry?.type === 'Point') {
      const [lonDeg, latDeg] = f.geometry.coordinates;
      nodes.push({ id: p.id, name: p.name ?? p.id, kind: p.kind, lonDeg, latDeg });
    } else if (p.type === 'corridor' && f.geometry?.type === 'LineString') {
      corridors.push({
        id: p.id, from: p.from, to: p.to, layer: p.layer ?? 0, lengthM: p.lengthM ?? 0,
        floor: p.floor, ceiling: p.ceiling, capacityPerHour: p.capacityPerHour, line: f.geometry.coordinates,
      });
    }
  }
  return { nodes, corridors, layers: fc?.layers ?? [], report: fc?.report ?? null, stored: fc?.stored === true };
}

/** The report as [key, value text] rows (text keys of TEXT), lengths in km, ratios to 3 decimals. */
export function reportRows(r) {
  if (!r) return [];
  const km = (m) => `${(m / 1000).toFixed(2)} km`;
  const x = (v) => (Number.isFinite(v) ? v.toFixed(3) : '–');
  return [
    ['nwVertiports', String(r.vertiports)],
    ['nwJunctions', String(r.junctions)],
    ['nwCorridors', String(r.corridors)],
    ['nwLength', km(r.networkLengthM)],
    ['nwMst', km(r.mstLengthM)],
    ['nwLengthVsMst', x(r.lengthVsMst)],
    ['nwMeanDetour', x(r.meanDetour)],
    ['nwP95Detour', x(r.p95Detour)],
    ['nwMaxDetour', x(r.maxDetour)],
    ['nwCrossings', String(r.sameLayerCrossings)],
    ['nwSeparation', String(r.separationViolations)],
    ['nwCapacity', `${r.corridorCapacityPerHour} /h`],
    ['nwCapacityKm', `${Math.round(r.totalCapacityFlightKmPerHour)} flight·km/h`],
  ];
}

/** A datetime-local input's value read as UTC ('2026-11-28T08:00' → '2026-11-28T08:00:00Z'); '' → null. */
export function inputToIso(value) {
  if (!value) return null;
  const v = value.length === 16 ? `${value}:00Z` : `${value}Z`;
  const ms = Date.parse(v);
  if (!Number.isFinite(ms)) throw new Error(`'${value}' is not a date and time`);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** An RFC 3339 time as a datetime-local value in UTC ('…T08:00:00Z' → '…T08:00'); null → ''. */
export function isoToInput(iso) {
  if (!iso) return '';
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 16) : '';
}

/** The schedule form ({ permanent, start, end, weekly: [{ days: [...], startTime, endTime }] }, times as typed) as an
 * applicability entry of the zones API. A schedule with dates is not permanent; the strings go as typed, so the
 * server judges them (and names the field when they are wrong). */
export function applicabilityFromForm(form) {
  const start = form.permanent ? null : inputToIso(form.start);
  const end = form.permanent ? null : inputToIso(form.end);
  return {
    permanent: Boolean(form.permanent) && start === null && end === null,
    start,
    end,
    weekly: (form.weekly ?? []).map((w) => ({ days: [...w.days], startTime: String(w.startTime ?? '').trim(), endTime: String(w.endTime ?? '').trim() })),
  };
}

/** An applicability entry of the zones API as the schedule form's values (missing entry: permanent, no periods). */
export function formFromApplicability(a) {
  if (!a) return { permanent: true, start: '', end: '', weekly: [] };
  return {
    permanent: a.permanent === true || (!a.start && !a.end),
    start: isoToInput(a.start),
    end: isoToInput(a.end),
    weekly: (a.weekly ?? []).map((w) => ({ days: expandDays(w.days), startTime: w.startTime ?? '', endTime: w.endTime ?? '' })),
  };
}

/** Days of a weekly period as MON … SUN (ANY expands to all seven). */
export function expandDays(days) {
  const set = new Set((days ?? []).map((d) => String(d).toUpperCase()));
  if (set.has('ANY')) return [...DAYS];
  return DAYS.filter((d) => set.has(d));
}

/** A zone (the API's ZoneDto) with the form's floor, ceiling and schedule: entry 0 of applicability is replaced (the
 * others kept as they are), everything else unchanged. */
export function zoneWithSchedule(zone, { lower, upper, schedule }) {
  const applicability = [...(zone.applicability ?? [])];
  const entry = applicabilityFromForm(schedule);
  const onlyPermanent = entry.permanent && entry.weekly.length === 0;
  if (applicability.length === 0) {
    if (!onlyPermanent) applicability.push(entry);
  } else {
    applicability[0] = entry;
  }
  return { ...zone, lower: { ...lower }, upper: { ...upper }, applicability };
}

/** Which of the form's fields a server violation names: the longest known field that the violation's field equals or
 * starts with at a path boundary ('.' or '['); '$' when none does. */
export function fieldFor(violationField, knownFields) {
  let best = '$';
  for (const f of knownFields) {
    if (violationField === f || violationField.startsWith(`${f}.`) || violationField.startsWith(`${f}[`)) {
      if (best === '$' || f.length > best.length) best = f;
    }
  }
  return best;
}

/** The violations of an RFC 9457 problem as [{ field, message }]: the structured list when present, else the
 * `errors` map ("rule: message" entries), else the detail under '$'. */
export function problemViolations(problem) {
  if (!problem) return [];
  if (Array.isArray(problem.violations) && problem.violations.length > 0) {
    return problem.violations.map((v) => ({ field: String(v.field ?? '$'), message: `${v.message ?? ''}${v.rule ? ` [${v.rule}]` : ''}` }));
  }
  if (problem.errors && typeof problem.errors === 'object') {
    const out = [];
    for (const [field, list] of Object.entries(problem.errors)) {
      for (const m of Array.isArray(list) ? list : [list]) out.push({ field, message: String(m) });
    }
    if (out.length > 0) return out;
  }
  return [{ field: '$', message: String(problem.detail ?? problem.title ?? 'error') }];
}

/** A centre-line typed as "lon,lat; lon,lat; …" (or one position per line) as [[lon, lat], …]; throws naming the
 * position that is not two numbers. */
export function parseCentreLine(text) {
  const parts = String(text ?? '').split(/[;\n]+/).map((s) => s.trim()).filter((s) => s.length > 0);
  return parts.map((s, i) => {
    const nums = s.split(/[,\s]+/).filter((x) => x.length > 0).map(Number);
    if (nums.length !== 2 || !nums.every(Number.isFinite)) throw new Error(`centreLine[${i}]: '${s}' is not "lon, lat"`);
    return nums;
  });
}

/** A centre-line as the text parseCentreLine reads (6 decimals, about 0.1 m). */
export function formatCentreLine(line) {
  return (line ?? []).map(([lon, lat]) => `${lon.toFixed(6)},${lat.toFixed(6)}`).join('; ');
}

/** Centre-line positions with the first and last put on the start and end nodes (when given), so a drawn line joins
 * the airway graph; a single click between two nodes gives node → click → node. */
export function snapEnds(points, fromNode, toNode) {
  const line = points.map((p) => [p[0], p[1]]);
  if (fromNode) {
    if (line.length > 0 && distanceM({ lonDeg: line[0][0], latDeg: line[0][1] }, fromNode) < 200) line[0] = [fromNode.lonDeg, fromNode.latDeg];
    else line.unshift([fromNode.lonDeg, fromNode.latDeg]);
  }
  if (toNode) {
    const last = line[line.length - 1];
    if (line.length > 1 && distanceM({ lonDeg: last[0], latDeg: last[1] }, toNode) < 200) line[line.length - 1] = [toNode.lonDeg, toNode.latDeg];
    else line.push([toNode.lonDeg, toNode.latDeg]);
  }
  return line;
}
