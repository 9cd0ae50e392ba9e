// The role views of the console: sign-in with the platform's roles (development token issuer), the operator's
// "can I fly here?", route planning and intent submission, the manager's zone drawing, approval queue and file
// import, and the supervisor's picture (full screen, counters, export). The map's layers live in app.js.
import { INTENT_COLOURS, tracksToCsv, tracksToCzml, tracksToGeoJson, tracksToKml, circleRing } from './model.js';

const ROLE_VIEWS = {
  operator: ['operator'],
  manager: ['manager'],
  supervisor: ['supervisor'],
  admin: ['operator', 'manager', 'supervisor'],
};

const VERDICT_COLOURS = { green: '#43a047', needs_authorisation: '#ffa000', prohibited: '#e53935' };

/** Starts the views; returns { applyText } for language switches. */
export function startViews(ctx) {
  const { Cesium, viewer, yunlu, state, api, t, report, escapeHtml, ring } = ctx;
  const $ = (id) => document.getElementById(id);
  const sketch = new Cesium.CustomDataSource('sketch');
  viewer.dataSources.add(sketch);
  yunlu.layers.sketch = sketch;

  // ---- sign-in -----------------------------------------------------------------------------------------------

  async function login(subject, role) {
    const res = await api('/auth/token', { method: 'POST', body: { subject, roles: [role], scopes: [], lifetimeS: 3600 } });
    state.auth = { subject, role, token: res.accessToken, expiresAt: res.expiresAt };
    renderAuth();
    await Promise.all([ctx.loadIntents().catch(report), role !== 'operator' ? loadQueue() : null]);
    return yunlu.auth;
  }

  function logout() {
    state.auth = null;
    setTool(null);
    renderAuth();
    ctx.loadIntents().catch(report);
  }

  function renderAuth() {
    const a = state.auth;
    $('login-form').hidden = a !== null;
    $('whoami').hidden = a === null;
    $('whoami-text').textContent = a ? `${a.subject} · ${t(a.role)}` : '';
    const views = a ? ROLE_VIEWS[a.role] : [];
    for (const v of ['operator', 'manager', 'supervisor']) $(`view-${v}`).hidden = !views.includes(v);
    document.body.dataset.role = a ? a.role : 'guest';
  }

  $('login-button').addEventListener('click', () => {
    login($('login-subject').value.trim() || 'demo', $('login-role').value).catch(report);
  });
  $('logout-button').addEventListener('click', logout);

  // ---- tools (one map click handler in app.js calls yunlu.tool) ----------------------------------------------

  function setTool(name, handler = null) {
    yunlu.tool = handler;
    yunlu.toolName = handler ? name : null;
    document.body.classList.toggle('tool-active', handler !== null);
    for (const b of document.querySelectorAll('[data-tool]')) b.classList.toggle('active', b.dataset.tool === yunlu.toolName);
  }

  function marker(id, p, colour, text) {
    sketch.entities.removeById(id);
    return sketch.entities.add({
      id,
      position: Cesium.Cartesian3.fromDegrees(p.lonDeg, p.latDeg),
      point: { pixelSize: 12, color: Cesium.Color.fromCssColorString(colour), outlineColor: Cesium.Color.WHITE, outlineWidth: 2, heightReference: Cesium.HeightReference.NONE, disableDepthTestDistance: Number.POSITIVE_INFINITY },
      label: text ? { text, font: '13px system-ui, sans-serif', pixelOffset: new Cesium.Cartesian2(0, -18), fillColor: Cesium.Color.WHITE, outlineColor: Cesium.Color.BLACK, outlineWidth: 3, style: Cesium.LabelStyle.FILL_AND_OUTLINE, disableDepthTestDistance: Number.POSITIVE_INFINITY } : undefined,
    });
  }

  // ---- operator: can I fly here? -----------------------------------------------------------------------------

  /** POST /airspace/check for a point at the chosen height AGL over the next 30 minutes from the picture's time. */
  async function checkAt(p) {
    const start = new Date(ctx.currentTimeMs());
    const body = {
      point: { lon: p.lonDeg, lat: p.latDeg, altitude: { value: Number($('op-alt').value) || 100, reference: 'AGL' } },
      timeStart: start.toISOString(),
      timeEnd: new Date(start.getTime() + 30 * 60_000).toISOString(),
      aircraft: { class: $('op-class').value },
    };
    const res = await api('/airspace/check', { method: 'POST', body });
    yunlu.lastCheck = res;
    marker('check', p, VERDICT_COLOURS[res.verdict] ?? '#ffffff', t(res.verdict));
    $('op-result').innerHTML = `<p class="verdict ${escapeHtml(res.verdict)}">${escapeHtml(t('verdict'))}: <b>${escapeHtml(t(res.verdict))}</b> `
      + `<small>${p.lonDeg.toFixed(5)}, ${p.latDeg.toFixed(5)}</small></p><ul class="reasons">`
      + res.reasons.map((r) => `<li class="${escapeHtml(r.verdict)}">${escapeHtml(r.message)}</li>`).join('') + '</ul>';
    return res;
  }

  $('op-check').addEventListener('click', () => {
    if (yunlu.toolName === 'check') setTool(null);
    else setTool('check', (p) => { checkAt(p).catch(report); });
  });

  // ---- operator: plan, show, submit ---------------------------------------------------------------------------

  let planPoints = [];

  /** Plans a route between two points: POST /routes/plan when the server offers it; otherwise a straight line at the
   * cruise height with one 4D volume around it (ground heights from /terrain/height), marked as such. */
  async function planRoute(from, to) {
    const departure = new Date(Math.max(ctx.currentTimeMs(), Date.now()) + 5 * 60_000);
    const cruise = Number($('op-alt').value) || 80;
    let plan;
    try {
      plan = await api('/routes/plan', {
        method: 'POST',
        body: { from, to, via: [], departureUtc: departure.toISOString(), template: 'point-to-point', cruiseAltitudeAglM: cruise, deconflict: true },
      });
      plan.source = 'routing';
    } catch (err) {
      if (err instanceof ctx.ApiError && err.status === 404 && !err.problem?.violations) {
        plan = await straightPlan(from, to, departure, cruise);
      } else {
        throw err;
      }
    }
    yunlu.plan = plan;
    drawPlan(plan);
    return plan;
  }

  async function straightPlan(from, to, departure, cruiseAglM) {
    const [a, b] = await Promise.all([from, to].map((p) => api(`/terrain/height?lon=${p.lonDeg}&lat=${p.latDeg}`)));
    const mPerDegLat = 111_320;
    const midLat = (from.latDeg + to.latDeg) / 2;
    const mPerDegLon = mPerDegLat * Math.cos(midLat * Math.PI / 180);
    const dx = (to.lonDeg - from.lonDeg) * mPerDegLon;
    const dy = (to.latDeg - from.latDeg) * mPerDegLat;
    const lengthM = Math.hypot(dx, dy);
    const speed = 12;
    const durationS = lengthM / speed;
    const w84 = (h) => h.groundW84M ?? ((h.groundAmslM ?? 0) + (h.geoidUndulationM ?? 0));
    const amsl = (h) => h.groundAmslM ?? 0;
    const surface = (h) => h.surfaceAmslM ?? amsl(h);
    const wp = (p, h, eta) => ({ lonDeg: p.lonDeg, latDeg: p.latDeg, altW84M: w84(h) + cruiseAglM, altAmslM: amsl(h) + cruiseAglM, altAglM: cruiseAglM, etaUtc: eta.toISOString() });
    const arrival = new Date(departure.getTime() + durationS * 1000);
    // A 100 m wide box along the leg.
    const half = 50;
    const nx = lengthM > 0 ? -dy / lengthM : 0;
    const ny = lengthM > 0 ? dx / lengthM : 1;
    const off = (p, s) => [p.lonDeg + (nx * half * s) / mPerDegLon, p.latDeg + (ny * half * s) / mPerDegLat];
    const polygon = [[off(from, 1), off(to, 1), off(to, -1), off(from, -1), off(from, 1)]];
    const lo = Math.min(w84(a), w84(b)) + cruiseAglM - 20;
    const hi = Math.max(w84(a), w84(b)) + cruiseAglM + 20;
    return {
      source: 'straight',
      lengthM,
      durationS,
      waypoints: [wp(from, a, departure), wp(to, b, arrival)],
      legs: [{ from: 0, to: 1, lengthM, durationS, groundSpeedMps: speed, headingDeg: ((Math.atan2(dx, dy) * 180) / Math.PI + 360) % 360 }],
      profile: [
        { distanceM: 0, groundAmslM: amsl(a), surfaceAmslM: surface(a), altAmslM: amsl(a) + cruiseAglM },
        { distanceM: lengthM, groundAmslM: amsl(b), surfaceAmslM: surface(b), altAmslM: amsl(b) + cruiseAglM },
      ],
      volumes: [{ footprint: { polygon, circle: null }, lowerW84M: lo, upperW84M: hi, start: new Date(departure.getTime() - 60_000).toISOString(), end: new Date(arrival.getTime() + 60_000).toISOString() }],
      deconfliction: null,
    };
  }

  function drawPlan(plan) {
    sketch.entities.removeById('plan');
    const flat = [];
    for (const w of plan.waypoints) flat.push(w.lonDeg, w.latDeg, w.altW84M);
    sketch.entities.add({
      id: 'plan',
      name: t('plan'),
      polyline: { positions: Cesium.Cartesian3.fromDegreesArrayHeights(flat), width: 4, material: Cesium.Color.fromCssColorString('#00e5ff') },
    });
    const legs = (plan.legs ?? []).map((l) => `<li>${l.from}→${l.to}: ${Math.round(l.lengthM)} m, ${Math.round(l.durationS)} s, ${Math.round(l.headingDeg ?? 0)}°</li>`).join('');
    $('op-route').innerHTML = `<p>${escapeHtml(t('length'))} <b id="op-route-length">${(plan.lengthM / 1000).toFixed(2)} km</b> · ${escapeHtml(t('duration'))} ${Math.round(plan.durationS / 60)} min`
      + ` · ${plan.waypoints.length} wp${plan.source === 'straight' ? ` <small>(${escapeHtml(t('notAvailable'))}: /routes/plan)</small>` : ''}</p>`
      + `<p>${escapeHtml(t('legs'))}</p><ol class="legs">${legs}</ol><p>${escapeHtml(t('profile'))}</p>${profileSvg(plan.profile ?? [])}`;
    $('op-submit').disabled = !(plan.volumes?.length > 0);
  }

  /** The vertical profile as inline SVG: ground (brown), surface with buildings (grey), the route (cyan); metres AMSL. */
  function profileSvg(profile) {
    if (profile.length < 2) return '';
    const W = 260;
    const H = 90;
    const maxD = profile[profile.length - 1].distanceM || 1;
    let lo = Infinity;
    let hi = -Infinity;
    for (const p of profile) {
      lo = Math.min(lo, p.groundAmslM, p.altAmslM);
      hi = Math.max(hi, p.surfaceAmslM ?? p.groundAmslM, p.altAmslM);
    }
    lo -= 20;
    hi += 20;
    const x = (d) => ((d / maxD) * W).toFixed(1);
    const y = (h) => (H - ((h - lo) / (hi - lo)) * H).toFixed(1);
    const line = (key) => profile.map((p, i) => `${i ? 'L' : 'M'}${x(p.distanceM)},${y(p[key] ?? p.groundAmslM)}`).join('');
    const ground = `${line('groundAmslM')}L${W},${H}L0,${H}Z`;
    return `<svg id="op-profile" class="profile" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="profile">`
      + `<path d="${ground}" fill="#6d4c41" opacity="0.8"/><path d="${line('surfaceAmslM')}" stroke="#bdbdbd" fill="none"/>`
      + `<path d="${line('altAmslM')}" stroke="#00e5ff" stroke-width="2" fill="none"/>`
      + `<text x="2" y="10" fill="#e8eaed" font-size="9">${Math.round(hi)} m</text><text x="2" y="${H - 2}" fill="#e8eaed" font-size="9">${Math.round(lo)} m AMSL</text></svg>`;
  }

  $('op-plan').addEventListener('click', () => {
    if (yunlu.toolName === 'plan') {
      setTool(null);
      return;
    }
    planPoints = [];
    sketch.entities.removeById('plan-from');
    sketch.entities.removeById('plan-to');
    $('op-route').textContent = t('planHint');
    setTool('plan', (p) => {
      planPoints.push(p);
      marker(planPoints.length === 1 ? 'plan-from' : 'plan-to', p, '#00e5ff', planPoints.length === 1 ? 'A' : 'B');
      if (planPoints.length === 2) {
        setTool(null);
        planRoute(planPoints[0], planPoints[1]).catch(report);
      }
    });
  });

  /** Submits the plan's volumes as an operational intent; shows the outcome and its conflicts. */
  async function submitPlan() {
    const plan = yunlu.plan;
    if (!plan) throw new Error('plan a route first');
    const body = {
      operatorId: $('op-operator').value.trim(),
      aircraftId: $('op-aircraft').value.trim(),
      pilotId: $('op-pilot').value.trim(),
      volumes: plan.volumes,
      routeRef: plan.source === 'routing' ? (plan.routeId ?? null) : null,
      submit: true,
    };
    try {
      const out = await api('/operations?resolve=true', { method: 'POST', body });
      yunlu.lastOutcome = out;
      renderOutcome(out);
    } catch (err) {
      $('op-outcome').innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
      throw err;
    }
    await ctx.loadIntents();
    renderMyIntents();
    return yunlu.lastOutcome;
  }

  function renderOutcome(out) {
    const conflicts = out.conflicts.map((c) => {
      const link = c.intentId ? `<a href="#" data-intent="${escapeHtml(c.intentId)}">${escapeHtml(c.intentId.slice(0, 8))}</a>`
        : c.zoneId ? `<a href="#" data-zone="${escapeHtml(c.zoneId)}">${escapeHtml(c.zoneId)}</a>` : escapeHtml(c.cellCode ?? '');
      return `<li>${escapeHtml(c.kind)} ${link}: ${escapeHtml(c.reason)}</li>`;
    }).join('');
    $('op-outcome').innerHTML = `<p>${escapeHtml(t('state'))}: <b class="state" id="op-state">${escapeHtml(out.intent.state)}</b> <small>${escapeHtml(out.outcome)}</small></p>`
      + (conflicts ? `<p>${escapeHtml(t('conflicts'))}</p><ul class="conflicts">${conflicts}</ul>` : '');
    for (const a of $('op-outcome').querySelectorAll('a[data-intent], a[data-zone]')) {
      a.addEventListener('click', (e) => {
        e.preventDefault();
        const ds = a.dataset.intent ? yunlu.layers.intents : yunlu.layers.zones;
        const prefix = a.dataset.intent ? `intent:${a.dataset.intent}:` : `zone:${a.dataset.zone}:`;
        const entity = ds.entities.values.find((x) => x.id.startsWith(prefix));
        if (entity) viewer.flyTo(entity, { duration: 1.2 }).catch(report);
      });
    }
  }

  function renderMyIntents() {
    const list = $('op-intents');
    list.replaceChildren();
    for (const i of state.intents) {
      const li = document.createElement('li');
      li.innerHTML = `<i class="swatch" style="background:${INTENT_COLOURS[i.state] ?? '#90a4ae'}"></i> ${escapeHtml(i.aircraftId)} <b>${escapeHtml(i.state)}</b> <small>${escapeHtml(i.id.slice(0, 8))}</small>`;
      list.append(li);
    }
  }

  /** Registers the operator, aircraft and pilot of the id fields (a light quadcopter of the OPEN category) so a
   * fresh installation can submit intents: PUT /registry/{operators,aircraft,pilots}/{id}. */
  async function registerFleet() {
    const op = $('op-operator').value.trim();
    const ac = $('op-aircraft').value.trim();
    const pi = $('op-pilot').value.trim();
    await api(`/registry/operators/${encodeURIComponent(op)}`, { method: 'PUT', body: { name: `${op} (console)`, category: 'OPEN' } });
    await Promise.all([
      api(`/registry/aircraft/${encodeURIComponent(ac)}`, {
        method: 'PUT',
        body: { operatorId: op, registrationNumber: `UAS-${ac}`, remoteIdSerial: `RID-${ac}`, model: 'quadcopter', class: 'LIGHT', emptyMassKg: 2, maxTakeOffMassKg: 3, maxSpeedKmh: 60 },
      }),
      api(`/registry/pilots/${encodeURIComponent(pi)}`, { method: 'PUT', body: { name: `${pi} (console)`, operatorId: op } }),
    ]);
    $('op-outcome').innerHTML = `<p>✓ ${escapeHtml(op)} · ${escapeHtml(ac)} · ${escapeHtml(pi)}</p>`;
  }

  $('op-register').addEventListener('click', () => { registerFleet().catch(report); });
  $('op-submit').addEventListener('click', () => { submitPlan().catch(report); });
  $('op-clear').addEventListener('click', () => {
    setTool(null);
    sketch.entities.removeAll();
    yunlu.plan = null;
    $('op-route').replaceChildren();
    $('op-result').replaceChildren();
    $('op-outcome').replaceChildren();
    $('op-submit').disabled = true;
  });

  // ---- manager: draw zones ------------------------------------------------------------------------------------

  let drawing = null;

  function drawSketch() {
    sketch.entities.removeById('draw');
    if (!drawing) return;
    let ringDeg = [];
    if (drawing.kind === 'polygon') ringDeg = drawing.points.map((p) => [p.lonDeg, p.latDeg]);
    else if (drawing.centre && drawing.radiusM > 0) ringDeg = circleRing(drawing.centre.lonDeg, drawing.centre.latDeg, drawing.radiusM);
    if (ringDeg.length >= 3) {
      sketch.entities.add({ id: 'draw', polygon: { hierarchy: new Cesium.PolygonHierarchy(ring(ringDeg)), material: Cesium.Color.MAGENTA.withAlpha(0.35), height: 0, heightReference: Cesium.HeightReference.CLAMP_TO_GROUND } });
    } else if (ringDeg.length === 2) {
      sketch.entities.add({ id: 'draw', polyline: { positions: Cesium.Cartesian3.fromDegreesArray(ringDeg.flat()), width: 3, clampToGround: true, material: Cesium.Color.MAGENTA } });
    }
    $('mg-draw-info').textContent = drawing.kind === 'polygon' ? `${drawing.points.length} pts`
      : drawing.radiusM ? `r = ${Math.round(drawing.radiusM)} m` : '';
  }

  function startDrawing(kind) {
    drawing = { kind, points: [], centre: null, radiusM: 0 };
    for (let i = 0; i < 64; i++) sketch.entities.removeById(`draw-v${i}`);
    setTool(kind, (p) => {
      if (kind === 'polygon') {
        drawing.points.push(p);
        marker(`draw-v${drawing.points.length - 1}`, p, '#ff00ff');
      } else if (!drawing.centre) {
        drawing.centre = p;
        marker('draw-v0', p, '#ff00ff');
      } else {
        const mPerDegLat = 111_320;
        const mPerDegLon = mPerDegLat * Math.cos(drawing.centre.latDeg * Math.PI / 180);
        drawing.radiusM = Math.hypot((p.lonDeg - drawing.centre.lonDeg) * mPerDegLon, (p.latDeg - drawing.centre.latDeg) * mPerDegLat);
        setTool(null);
      }
      drawSketch();
    });
    drawSketch();
  }

  $('mg-polygon').addEventListener('click', () => startDrawing('polygon'));
  $('mg-circle').addEventListener('click', () => startDrawing('circle'));
  $('mg-finish').addEventListener('click', () => setTool(null));

  /** The zone as the zones API takes it (ZoneDto), from the sketch and the form. */
  function zoneFromForm() {
    if (!drawing) throw new Error('draw a polygon or a circle first');
    let footprint;
    if (drawing.kind === 'polygon') {
      if (drawing.points.length < 3) throw new Error('a polygon needs at least 3 points');
      const r = drawing.points.map((p) => [p.lonDeg, p.latDeg]);
      r.push(r[0]);
      footprint = { polygon: [r], circle: null };
    } else {
      if (!drawing.centre || !(drawing.radiusM > 0)) throw new Error('a circle needs its centre and a point on its edge');
      footprint = { polygon: null, circle: { center: [drawing.centre.lonDeg, drawing.centre.latDeg], radiusM: drawing.radiusM } };
    }
    return {
      identifier: $('mg-id').value.trim(),
      name: $('mg-name').value.trim(),
      country: 'CHN',
      restriction: $('mg-restriction').value,
      reasons: ['OTHER'],
      footprint,
      lower: { value: Number($('mg-floor').value), reference: $('mg-floor-ref').value },
      upper: { value: Number($('mg-ceiling').value), reference: $('mg-ceiling-ref').value },
      applicability: [],
      authority: null,
      message: $('mg-message').value.trim() || null,
    };
  }

  async function saveZone() {
    const zone = zoneFromForm();
    try {
      const stored = await api(`/zones/${encodeURIComponent(zone.identifier)}`, { method: 'PUT', body: zone });
      $('mg-result').innerHTML = `<p>✓ ${escapeHtml(stored.zone.identifier)} v${stored.version}</p>`;
      yunlu.lastZone = stored;
      drawing = null;
      sketch.entities.removeAll();
      await ctx.reloadZones();
      return stored;
    } catch (err) {
      $('mg-result').innerHTML = `<p class="error">${escapeHtml(err.message)}</p>`;
      throw err;
    }
  }

  $('mg-save').addEventListener('click', () => { saveZone().catch(report); });

  // ---- manager: approval queue --------------------------------------------------------------------------------

  async function loadQueue() {
    if (!state.auth || state.auth.role === 'operator') return;
    let page;
    try {
      page = await api('/operations/queue?limit=100');
    } catch (err) {
      $('mg-queue').innerHTML = `<li class="error">${escapeHtml(err.message)}</li>`;
      return;
    }
    yunlu.queue = page.items.map((i) => ({ id: i.id, state: i.state }));
    const list = $('mg-queue');
    list.replaceChildren();
    if (page.items.length === 0) list.innerHTML = '<li class="empty">–</li>';
    for (const i of page.items) {
      const li = document.createElement('li');
      li.dataset.id = i.id;
      const start = i.volumes[0]?.start ? new Date(i.volumes[0].start).toISOString().slice(11, 16) : '';
      li.innerHTML = `<b>${escapeHtml(i.aircraftId)}</b> ${escapeHtml(i.operatorId)} <small>${escapeHtml(start)}Z · ${escapeHtml(i.id.slice(0, 8))}</small> `;
      const show = document.createElement('button');
      show.type = 'button';
      show.textContent = t('jump');
      show.addEventListener('click', () => {
        const e = yunlu.layers.intents.entities.values.find((x) => x.id.startsWith(`intent:${i.id}:`));
        if (e) viewer.flyTo(e, { duration: 1.2 }).catch(report);
      });
      const approve = document.createElement('button');
      approve.type = 'button';
      approve.className = 'approve';
      approve.textContent = t('approve');
      approve.addEventListener('click', () => decide(i, 'approve').catch(report));
      const reject = document.createElement('button');
      reject.type = 'button';
      reject.className = 'reject';
      reject.textContent = t('reject');
      reject.addEventListener('click', () => decide(i, 'reject').catch(report));
      li.append(show, ' ', approve, ' ', reject);
      list.append(li);
    }
  }

  async function decide(intent, verb) {
    const reason = $('mg-reason').value.trim() || (verb === 'reject' ? 'rejected in the console' : null);
    await api(`/operations/${intent.id}/${verb}`, { method: 'POST', body: { ovn: intent.ovn, reason } });
    await Promise.all([loadQueue(), ctx.loadIntents()]);
  }

  // ---- manager: drop-a-file import ---------------------------------------------------------------------------

  let dropped = null;

  async function importFile(dryRun) {
    if (!dropped) throw new Error('drop a file first');
    const kind = $('mg-import-kind').value;
    const res = await api(`/imports/${kind}?fileName=${encodeURIComponent(dropped.name)}&dryRun=${dryRun}`, {
      method: 'POST', body: dropped, headers: { 'Content-Type': 'application/octet-stream' }, raw: true,
    });
    const text = await res.text();
    let json = null;
    try { json = JSON.parse(text); } catch { json = null; }
    const errors = json?.errors && Array.isArray(json.errors) ? json.errors : json?.featureErrors ?? json?.violations ?? [];
    yunlu.lastImport = { status: res.status, body: json };
    const rows = errors.slice(0, 50).map((e) => `<li>#${escapeHtml(e.featureIndex ?? '')} ${escapeHtml(e.featureId ?? '')} ${escapeHtml(e.field ?? '')}: ${escapeHtml(e.message ?? e.rule ?? '')}</li>`).join('');
    $('mg-import-result').innerHTML = `<p>HTTP ${res.status} · ${escapeHtml(t('features'))}: ${json?.featureCount ?? '–'}`
      + `${json?.stored ? ' · ✓' : ''}${dryRun ? ` (${escapeHtml(t('preview'))})` : ''}</p>${rows ? `<p>${escapeHtml(t('errors'))}</p><ul class="errors">${rows}</ul>` : ''}`
      + (json?.detail && !rows ? `<p class="error">${escapeHtml(json.detail)}</p>` : '');
    $('mg-commit').disabled = !(dryRun && res.ok && errors.length === 0);
    if (!dryRun && res.ok && kind === 'zones') await ctx.reloadZones();
    return yunlu.lastImport;
  }

  const drop = $('mg-drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const file = e.dataTransfer?.files?.[0];
    if (!file) return;
    dropped = file;
    drop.textContent = `${file.name} (${file.size} B)`;
    importFile(true).catch(report);
  });
  $('mg-file').addEventListener('change', (e) => {
    const file = e.target.files?.[0];
    if (!file) return;
    dropped = file;
    drop.textContent = `${file.name} (${file.size} B)`;
    importFile(true).catch(report);
  });
  $('mg-commit').addEventListener('click', () => { importFile(false).catch(report); });

  // ---- supervisor -----------------------------------------------------------------------------------------------

  /** The live picture in a format: geojson, csv, kml or czml (with each aircraft's recorded history for CZML when
   * the server offers it). Returns the text; the button also downloads it (a blob: URL, nothing leaves the page). */
  async function exportTracks(format) {
    const tracks = yunlu.layers.tracks.store.all();
    let text;
    let type;
    switch (format) {
      case 'geojson': text = JSON.stringify(tracksToGeoJson(tracks)); type = 'application/geo+json'; break;
      case 'csv': text = tracksToCsv(tracks); type = 'text/csv'; break;
      case 'kml': text = tracksToKml(tracks); type = 'application/vnd.google-earth.kml+xml'; break;
      case 'czml': {
        const histories = {};
        const to = new Date(ctx.currentTimeMs());
        const from = new Date(to.getTime() - 10 * 60_000);
        // Histories for up to 200 aircraft (the selected first): a CZML of the whole fleet's paths is a server export.
        const ids = tracks.slice(0, 200).map((tr) => tr.aircraftId);
        await Promise.all(ids.map(async (id) => {
          try {
            const h = await api(`/supervision/tracks/${encodeURIComponent(id)}/history?from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`);
            histories[id] = h.points;
          } catch {
            // No history: the packet carries the current position.
          }
        }));
        text = JSON.stringify(tracksToCzml(tracks, histories));
        type = 'application/json';
        break;
      }
      default: throw new Error(`export: unknown format ${format}`);
    }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(new Blob([text], { type }));
    a.download = `yunlu-tracks.${format}`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
    return text;
  }

  $('sv-export').addEventListener('click', () => { exportTracks($('sv-export-format').value).catch(report); });
  $('sv-fullscreen').addEventListener('click', () => setFullscreen(!document.body.classList.contains('fullscreen')));

  /** Full-screen live picture: the layer panel folds away, the alert list and counters stay. */
  function setFullscreen(on) {
    document.body.classList.toggle('fullscreen', on);
    if (on && document.fullscreenEnabled && !document.fullscreenElement) document.documentElement.requestFullscreen().catch(() => {});
    if (!on && document.fullscreenElement) document.exitFullscreen().catch(() => {});
  }

  // The queue refreshes with the intents.
  setInterval(() => { if (state.auth && state.auth.role !== 'operator') loadQueue(); if (state.auth) renderMyIntents(); }, 5000);

  Object.assign(yunlu, { login, logout, checkAt, planRoute, submitPlan, registerFleet, saveZone, loadQueue, importFile, exportTracks, setFullscreen, setTool });
  renderAuth();
  return {
    applyText() {
      for (const o of document.querySelectorAll('#login-role option')) o.textContent = t(o.value);
      renderAuth();
    },
  };
}
