// The manager's planning views: the timeline (Gantt) of planned operations linked to the globe, the approval queue and
// the time slider; airway network generation from vertiports (POST /airways/generate, drawn by heading layer, with its
// report, and stored as corridors); the corridor editor (centre-line, width, floor/ceiling) and the zone schedule
// editor (days/times, validity, floor/ceiling), both showing the server's problem details next to the field.
// Layout maths lives in gantt.js and manager-model.js (node-tested); this file is the DOM and Cesium side.
import { TEXT } from './model.js';
import { barAt, fitView, intentSpan, intentWindows, layoutGantt, panView, stateColour, STATE_COLOURS, ticks, zoomView } from './gantt.js';
import {
  DAYS, fieldFor, formFromApplicability, formatCentreLine, layerColour, nearestSite, networkRequest, parseCentreLine, problemViolations,
  readNetwork, reportRows, snapEnds, zoneWithSchedule,
} from './manager-model.js';

const MANAGER_TEXT = {
  zh: {
    mgTools: '规划工具',
    mgTimeline: '运行时间线',
    mgShowTimeline: '时间线',
    gtGroup: '分组',
    gtByIntent: '按意图',
    gtByAircraft: '按航空器',
    gtFit: '全部',
    gtNow: '现在',
    gtRefresh: '刷新',
    gtClose: '关闭',
    gtPending: '待审批',
    gtLocal: '北京时间 UTC+8',
    gtEmpty: '此时段无运行意图',
    gtSelected: '已选意图',
    nwTitle: '航路网生成',
    nwPick: '选站点/点地图',
    nwAll: '全部起降场',
    nwDetour: '绕行目标',
    nwLayers: '航向层数',
    nwSep: '横向间隔 m',
    nwFloor: '最低层 m AGL',
    nwThickness: '层厚 m',
    nwCeilingAgl: '上限 m AGL',
    nwWidth: '走廊宽 m',
    nwPrefix: '编号前缀',
    nwAvoidZones: '避让禁飞区',
    nwAvoidObstacles: '避让高于最低层的建筑',
    nwGenerate: '生成',
    nwStore: '存为走廊',
    nwStored: '已存为走廊',
    nwNeedTwo: '至少选两个起降点',
    nwVertiports: '起降点',
    nwJunctions: '交汇点',
    nwCorridors: '单向走廊',
    nwLength: '网络总长',
    nwMst: '最小生成树',
    nwLengthVsMst: '长度/MST',
    nwMeanDetour: '平均绕行',
    nwP95Detour: 'P95 绕行',
    nwMaxDetour: '最大绕行',
    nwCrossings: '同层交叉',
    nwSeparation: '间隔不足',
    nwCapacity: '单走廊容量',
    nwCapacityKm: '总容量',
    nwLayer: '层',
    nwHeading: '航向',
    crTitle: '走廊编辑',
    crNew: '（新走廊）',
    crFrom: '起点节点',
    crTo: '终点节点',
    crWidth: '宽度 m',
    crDirection: '方向',
    crSpeed: '速度 m/s',
    crCapacity: '容量 /h',
    crLine: '中心线 (经度,纬度; …)',
    crDraw: '画中心线',
    crDelete: '删除',
    crDeleted: '已删除',
    zsTitle: '空域时段与高度',
    zsZone: '空域',
    zsPermanent: '长期有效',
    zsValidFrom: '生效 (UTC)',
    zsValidTo: '失效 (UTC)',
    zsWeekly: '每周时段 (UTC HH:mm)',
    zsAddPeriod: '添加时段',
    zsRemove: '删除',
    zsOtherEntries: '另有 {n} 条适用期保持不变',
    saved: '已保存',
    MON: '一', TUE: '二', WED: '三', THU: '四', FRI: '五', SAT: '六', SUN: '日',
  },
  en: {
    mgTools: 'Planning tools',
    mgTimeline: 'Operations timeline',
    mgShowTimeline: 'Timeline',
    gtGroup: 'Rows',
    gtByIntent: 'by intent',
    gtByAircraft: 'by aircraft',
    gtFit: 'Fit',
    gtNow: 'Now',
    gtRefresh: 'Refresh',
    gtClose: 'Close',
    gtPending: 'Awaiting approval',
    gtLocal: 'Beijing time UTC+8',
    gtEmpty: 'No operational intents in this period',
    gtSelected: 'Selected intent',
    nwTitle: 'Airway network generation',
    nwPick: 'Pick sites / click map',
    nwAll: 'All vertiports',
    nwDetour: 'Detour target',
    nwLayers: 'Heading layers',
    nwSep: 'Lateral sep. m',
    nwFloor: 'Lowest floor m AGL',
    nwThickness: 'Layer thickness m',
    nwCeilingAgl: 'Ceiling m AGL',
    nwWidth: 'Corridor width m',
    nwPrefix: 'Id prefix',
    nwAvoidZones: 'Avoid prohibited zones',
    nwAvoidObstacles: 'Avoid buildings taller than the lowest layer',
    nwGenerate: 'Generate',
    nwStore: 'Store as corridors',
    nwStored: 'Stored as corridors',
    nwNeedTwo: 'Pick at least two vertiports',
    nwVertiports: 'Vertiports',
    nwJunctions: 'Junctions',
    nwCorridors: 'One-way corridors',
    nwLength: 'Network length',
    nwMst: 'Minimum spanning tree',
    nwLengthVsMst: 'Length / MST',
    nwMeanDetour: 'Mean detour',
    nwP95Detour: 'P95 detour',
    nwMaxDetour: 'Max detour',
    nwCrossings: 'Same-layer crossings',
    nwSeparation: 'Separation shortfalls',
    nwCapacity: 'Capacity per corridor',
    nwCapacityKm: 'Total capacity',
    nwLayer: 'Layer',
    nwHeading: 'Heading',
    crTitle: 'Corridor editor',
    crNew: '(new corridor)',
    crFrom: 'From node',
    crTo: 'To node',
    crWidth: 'Width m',
    crDirection: 'Direction',
    crSpeed: 'Speed m/s',
    crCapacity: 'Capacity /h',
    crLine: 'Centre-line (lon,lat; …)',
    crDraw: 'Draw centre-line',
    crDelete: 'Delete',
    crDeleted: 'Deleted',
    zsTitle: 'Zone schedule and limits',
    zsZone: 'Zone',
    zsPermanent: 'Permanent',
    zsValidFrom: 'Valid from (UTC)',
    zsValidTo: 'Valid to (UTC)',
    zsWeekly: 'Weekly periods (UTC HH:mm)',
    zsAddPeriod: 'Add period',
    zsRemove: 'Remove',
    zsOtherEntries: '{n} more applicability entries are kept as they are',
    saved: 'Saved',
    MON: 'Mo', TUE: 'Tu', WED: 'We', THU: 'Th', FRI: 'Fr', SAT: 'Sa', SUN: 'Su',
  },
};
for (const lang of Object.keys(MANAGER_TEXT)) Object.assign(TEXT[lang], MANAGER_TEXT[lang]);

// Gantt geometry and behaviour.
const LABEL_W = 118;
const AXIS_H = 22;
const LANE_H = 12;
const LABEL_OFFSET_MIN = 480;
const LOAD_PAST_MS = 12 * 3600_000;
const LOAD_FUTURE_MS = 48 * 3600_000;
const REFRESH_MS = 10_000;
// A site within this distance of a click is taken instead of a new point.
const PICK_RADIUS_M = 1500;
const REFS = ['AGL', 'AMSL', 'W84'];

/** Starts the manager's planning views; returns { applyText } for language switches. */
export function startManager(ctx) {
  const { Cesium, viewer, yunlu, state, api, t, report, escapeHtml } = ctx;
  const $ = (id) => document.getElementById(id);
  const source = new Cesium.CustomDataSource('manager');
  viewer.dataSources.add(source);
  yunlu.layers.manager = source;

  const sel = (id, options, value) => `<select id="${id}" data-field-input>${options.map((o) => `<option${o === value ? ' selected' : ''}>${o}</option>`).join('')}</select>`;
  const refSel = (id, field, value = 'AGL') => `<select id="${id}" data-field="${field}" aria-label="reference">${REFS.map((r) => `<option${r === value ? ' selected' : ''}>${r}</option>`).join('')}</select>`;
  $('mg-tools').innerHTML = `
    <h2 data-i18n="mgTimeline">${t('mgTimeline')}</h2>
    <div class="row"><button id="gt-toggle" type="button" data-i18n="mgShowTimeline">${t('mgShowTimeline')}</button> <span id="gt-summary"></span></div>
    <h2 data-i18n="nwTitle">${t('nwTitle')}</h2>
    <div class="row">
      <button id="nw-pick" type="button" data-tool="network" data-i18n="nwPick">${t('nwPick')}</button>
      <button id="nw-all" type="button" data-i18n="nwAll">${t('nwAll')}</button>
      <button id="nw-clear" type="button" data-i18n="clear">${t('clear')}</button>
    </div>
    <ul id="nw-vertiports" class="chips"></ul>
    <div class="opts" id="nw-form">
      <label><span data-i18n="nwDetour">${t('nwDetour')}</span><input autocomplete="off" id="nw-detourTarget" data-field="detourTarget" type="number" step="0.05" value="1.2"></label>
      <label><span data-i18n="nwLayers">${t('nwLayers')}</span>${sel('nw-headingLayers', ['2', '4', '6', '8'], '2').replace('data-field-input', 'data-field="headingLayers"')}</label>
      <label><span data-i18n="nwSep">${t('nwSep')}</span><input autocomplete="off" id="nw-lateralSeparationM" data-field="lateralSeparationM" type="number" step="10" value="150"></label>
      <label><span data-i18n="nwFloor">${t('nwFloor')}</span><input autocomplete="off" id="nw-lowestFloorAglM" data-field="lowestFloorAglM" type="number" step="5" value="60"></label>
      <label><span data-i18n="nwThickness">${t('nwThickness')}</span><input autocomplete="off" id="nw-layerThicknessM" data-field="layerThicknessM" type="number" step="5" value="20"></label>
      <label><span data-i18n="nwCeilingAgl">${t('nwCeilingAgl')}</span><input autocomplete="off" id="nw-ceilingAglM" data-field="ceilingAglM" type="number" step="10" value="120"></label>
      <label><span data-i18n="nwWidth">${t('nwWidth')}</span><input autocomplete="off" id="nw-corridorWidthM" data-field="corridorWidthM" type="number" step="10" value="100"></label>
      <label><span data-i18n="nwPrefix">${t('nwPrefix')}</span><input autocomplete="off" id="nw-idPrefix" data-field="idPrefix" value="GEN"></label>
    </div>
    <label><input autocomplete="off" type="checkbox" id="nw-avoid-zones" checked> <span data-i18n="nwAvoidZones">${t('nwAvoidZones')}</span></label>
    <label><input autocomplete="off" type="checkbox" id="nw-avoid-obstacles" checked> <span data-i18n="nwAvoidObstacles">${t('nwAvoidObstacles')}</span></label>
    <div class="row"><button id="nw-generate" type="button" data-i18n="nwGenerate">${t('nwGenerate')}</button> <button id="nw-store" type="button" data-i18n="nwStore" disabled>${t('nwStore')}</button></div>
    <div id="nw-result" data-field="$"></div>
    <h2 data-i18n="crTitle">${t('crTitle')}</h2>
    <div class="form" id="cr-form">
      <select id="cr-select" aria-label="corridor"></select>
      <div class="row"><input autocomplete="off" id="cr-id" data-field="id" placeholder="id" aria-label="id" value="WEB-C01"> <input autocomplete="off" id="cr-name" data-field="name" placeholder="name" aria-label="name" value="走廊 Corridor"></div>
      <div class="row"><span data-i18n="crFrom">${t('crFrom')}</span><select id="cr-from" data-field="fromNodeId"></select></div>
      <div class="row"><span data-i18n="crTo">${t('crTo')}</span><select id="cr-to" data-field="toNodeId"></select></div>
      <div class="row"><span data-i18n="crWidth">${t('crWidth')}</span><input autocomplete="off" type="number" id="cr-width" data-field="widthM" value="100" step="10">
        <span data-i18n="crDirection">${t('crDirection')}</span><select id="cr-direction" data-field="direction"><option>ONE_WAY</option><option>TWO_WAY</option></select></div>
      <div class="row"><span data-i18n="floor">${t('floor')}</span><input autocomplete="off" type="number" id="cr-floor" data-field="floor.value" value="60" step="10">${refSel('cr-floor-ref', 'floor.reference')}</div>
      <div class="row"><span data-i18n="ceiling">${t('ceiling')}</span><input autocomplete="off" type="number" id="cr-ceiling" data-field="ceiling.value" value="110" step="10">${refSel('cr-ceiling-ref', 'ceiling.reference')}</div>
      <div class="row"><span data-i18n="crSpeed">${t('crSpeed')}</span><input autocomplete="off" type="number" id="cr-min-speed" data-field="minSpeedMps" value="0" step="1"> – <input autocomplete="off" type="number" id="cr-max-speed" data-field="maxSpeedMps" value="15" step="1">
        <span data-i18n="crCapacity">${t('crCapacity')}</span><input autocomplete="off" type="number" id="cr-capacity" data-field="capacityPerHour" value="180" step="10"></div>
      <label class="col"><span data-i18n="crLine">${t('crLine')}</span><textarea id="cr-line" data-field="centreLine" rows="2" spellcheck="false"></textarea></label>
      <div class="row"><button id="cr-draw" type="button" data-tool="corridor" data-i18n="crDraw">${t('crDraw')}</button> <button id="cr-save" type="button" data-i18n="save">${t('save')}</button> <button id="cr-delete" type="button" data-i18n="crDelete">${t('crDelete')}</button></div>
      <div id="cr-result" data-field="$"></div>
    </div>
    <h2 data-i18n="zsTitle">${t('zsTitle')}</h2>
    <div class="form" id="zs-form">
      <div class="row"><span data-i18n="zsZone">${t('zsZone')}</span><select id="zs-zone" aria-label="zone"></select> <small id="zs-version"></small></div>
      <div class="row"><span data-i18n="floor">${t('floor')}</span><input autocomplete="off" type="number" id="zs-floor" data-field="lower.value" step="10">${refSel('zs-floor-ref', 'lower.reference')}</div>
      <div class="row"><span data-i18n="ceiling">${t('ceiling')}</span><input autocomplete="off" type="number" id="zs-ceiling" data-field="upper.value" step="10">${refSel('zs-ceiling-ref', 'upper.reference')}</div>
      <label><input autocomplete="off" type="checkbox" id="zs-permanent" data-field="applicability[0]"> <span data-i18n="zsPermanent">${t('zsPermanent')}</span></label>
      <div class="row"><span data-i18n="zsValidFrom">${t('zsValidFrom')}</span><input autocomplete="off" type="datetime-local" id="zs-start" data-field="applicability[0].start"></div>
      <div class="row"><span data-i18n="zsValidTo">${t('zsValidTo')}</span><input autocomplete="off" type="datetime-local" id="zs-end" data-field="applicability[0].end"></div>
      <div data-i18n="zsWeekly">${t('zsWeekly')}</div>
      <div id="zs-weekly"></div>
      <div class="row"><button id="zs-add" type="button" data-i18n="zsAddPeriod">${t('zsAddPeriod')}</button> <button id="zs-save" type="button" data-i18n="save">${t('save')}</button></div>
      <small id="zs-others"></small>
      <div id="zs-result" data-field="$"></div>
    </div>`;

  const gantt = document.createElement('div');
  gantt.id = 'gantt';
  gantt.hidden = true;
  gantt.setAttribute('aria-label', 'timeline');
  gantt.innerHTML = `
    <div class="gantt-bar">
      <b data-i18n="mgTimeline">${t('mgTimeline')}</b>
      <label><span data-i18n="gtGroup">${t('gtGroup')}</span> <select id="gt-group"><option value="intent">${t('gtByIntent')}</option><option value="aircraft">${t('gtByAircraft')}</option></select></label>
      <button id="gt-zoom-in" type="button" title="+">＋</button><button id="gt-zoom-out" type="button" title="−">－</button>
      <button id="gt-fit" type="button" data-i18n="gtFit">${t('gtFit')}</button>
      <button id="gt-now" type="button" data-i18n="gtNow">${t('gtNow')}</button>
      <button id="gt-refresh" type="button" data-i18n="gtRefresh">${t('gtRefresh')}</button>
      <span class="gantt-legend" id="gt-legend"></span>
      <small data-i18n="gtLocal">${t('gtLocal')}</small>
      <button id="gt-close" type="button" class="close" data-i18n="gtClose">${t('gtClose')}</button>
    </div>
    <svg id="gt-axis" class="gantt-axis" height="${AXIS_H}"></svg>
    <div class="gantt-body" id="gt-body"><svg id="gt-svg"></svg></div>
    <div id="gt-info" class="gantt-info"></div>`;
  document.body.append(gantt);

  // ---- timeline (Gantt) --------------------------------------------------------------------------------------

  const gt = {
    intents: [],
    pendingIds: new Set(),
    view: null,
    groupBy: 'intent',
    selectedId: null,
    layout: null,
    lastCursorMs: null,
    loadedAt: 0,
    loading: false,
  };

  function chartWidth() {
    return Math.max(120, ($('gt-body').clientWidth || 600) - LABEL_W - 2);
  }

  async function loadGantt() {
    const now = Date.now();
    const from = new Date(now - LOAD_PAST_MS).toISOString();
    const to = new Date(now + LOAD_FUTURE_MS).toISOString();
    const [page, queue] = await Promise.all([
      api(`/operations?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&limit=10000`),
      api('/operations/queue?limit=1000').catch(() => ({ items: [] })),
    ]);
    gt.intents = page.items;
    // Queued intents outside the loaded window still belong on the chart.
    const known = new Set(gt.intents.map((i) => i.id));
    for (const q of queue.items) if (!known.has(q.id)) gt.intents.push(q);
    gt.pendingIds = new Set(queue.items.map((q) => q.id));
    gt.loadedAt = Date.now();
    if (!gt.view) gt.view = fitView(gt.intents) ?? { startMs: now - 3600_000, endMs: now + 5 * 3600_000 };
    renderGantt();
    return gt.intents.length;
  }

  function renderGantt() {
    if (gantt.hidden || !gt.view) return;
    const widthPx = chartWidth();
    const cursorMs = ctx.currentTimeMs();
    gt.lastCursorMs = cursorMs;
    const layout = layoutGantt(gt.intents, gt.view, {
      widthPx, laneHeightPx: LANE_H, groupBy: gt.groupBy, pendingIds: gt.pendingIds, selectedId: gt.selectedId, nowMs: Date.now(), cursorMs,
    });
    gt.layout = layout;
    const heightPx = Math.max(layout.heightPx, 40);
    const svg = $('gt-svg');
    svg.setAttribute('width', String(LABEL_W + widthPx));
    svg.setAttribute('height', String(heightPx));
    const parts = [];
    const axisTicks = ticks(gt.view, widthPx, { minGapPx: 60, offsetMin: LABEL_OFFSET_MIN });
    for (const k of axisTicks) parts.push(`<line class="grid${k.major ? ' major' : ''}" x1="${LABEL_W + k.x}" x2="${LABEL_W + k.x}" y1="0" y2="${heightPx}"/>`);
    layout.rows.forEach((r, i) => {
      if (i % 2 === 1) parts.push(`<rect class="stripe" x="0" y="${r.y}" width="${LABEL_W + widthPx}" height="${r.h}"/>`);
      parts.push(`<text class="label" x="4" y="${r.y + Math.min(r.h, LANE_H + 4) / 2 + 4}">${escapeHtml(r.label)}</text>`);
    });
    for (const b of layout.bars) {
      parts.push(`<rect class="bar${b.pending ? ' pending' : ''}${b.selected ? ' selected' : ''}" data-intent="${escapeHtml(b.intentId)}" data-volume="${b.volumeIndex}"`
        + ` x="${(LABEL_W + b.x).toFixed(1)}" y="${b.y}" width="${b.w.toFixed(1)}" height="${b.h}" fill="${b.colour}"><title>${escapeHtml(b.state)} · ${escapeHtml(b.intentId.slice(0, 8))} #${b.volumeIndex}</title></rect>`);
    }
    if (layout.rows.length === 0) parts.push(`<text class="label" x="${LABEL_W + 8}" y="24">${escapeHtml(t('gtEmpty'))}</text>`);
    parts.push(`<line id="gt-now-line" class="now" x1="0" x2="0" y1="0" y2="${heightPx}"/>`);
    parts.push(`<line id="gt-cursor-line" class="cursor" x1="0" x2="0" y1="0" y2="${heightPx}"/>`);
    svg.innerHTML = parts.join('');

    const axis = $('gt-axis');
    axis.setAttribute('width', String(LABEL_W + widthPx));
    axis.innerHTML = axisTicks.map((k) => `<line class="tick" x1="${LABEL_W + k.x}" x2="${LABEL_W + k.x}" y1="${AXIS_H - 6}" y2="${AXIS_H}"/>`
      + `<text class="tick${k.major ? ' major' : ''}" x="${LABEL_W + k.x + 2}" y="${AXIS_H - 8}">${escapeHtml(k.label)}</text>`).join('')
      + `<line id="gt-axis-now" class="now" x1="0" x2="0" y1="0" y2="${AXIS_H}"/><line id="gt-axis-cursor" class="cursor" x1="0" x2="0" y1="0" y2="${AXIS_H}"/>`;
    placeLines();
    $('gt-summary').textContent = `${gt.intents.length} · ${t('gtPending')} ${gt.pendingIds.size}`;
    $('gt-legend').innerHTML = ['ACCEPTED', 'ACTIVATED', 'NONCONFORMING', 'CONTINGENT', 'SUBMITTED', 'ENDED']
      .map((s) => `<span><i class="swatch" style="background:${STATE_COLOURS[s]}"></i>${escapeHtml(s)}</span>`).join('')
      + `<span><i class="swatch pending"></i>${escapeHtml(t('gtPending'))}</span>`;
    publishGantt();
  }

  /** Moves the now and picture-time lines without rebuilding the chart. */
  function placeLines() {
    if (!gt.view) return;
    const widthPx = chartWidth();
    const x = (ms) => (ms >= gt.view.startMs && ms <= gt.view.endMs ? LABEL_W + ((ms - gt.view.startMs) / (gt.view.endMs - gt.view.startMs)) * widthPx : -10);
    const nowX = x(Date.now());
    const curX = x(ctx.currentTimeMs());
    for (const [id, v] of [['gt-now-line', nowX], ['gt-axis-now', nowX], ['gt-cursor-line', curX], ['gt-axis-cursor', curX]]) {
      const el = $(id);
      if (el) {
        el.setAttribute('x1', String(v));
        el.setAttribute('x2', String(v));
      }
    }
  }

  function publishGantt() {
    yunlu.manager.gantt = {
      shown: !gantt.hidden,
      intents: gt.intents.length,
      rows: gt.layout ? gt.layout.rows.length : 0,
      bars: gt.layout ? gt.layout.bars.length : 0,
      pending: gt.pendingIds.size,
      groupBy: gt.groupBy,
      view: gt.view ? { start: new Date(gt.view.startMs).toISOString(), end: new Date(gt.view.endMs).toISOString() } : null,
      cursorX: cursorX(ctx.currentTimeMs()),
    };
  }

  /** Where a time falls on the chart (pixels from the chart's left edge), or null outside the view. */
  function cursorX(ms) {
    if (!gt.view || ms < gt.view.startMs || ms > gt.view.endMs) return null;
    return ((ms - gt.view.startMs) / (gt.view.endMs - gt.view.startMs)) * chartWidth();
  }

  function setView(view) {
    gt.view = view;
    renderGantt();
  }

  async function showGantt(on = true) {
    gantt.hidden = !on;
    document.body.classList.toggle('gantt-open', on);
    $('gt-toggle').classList.toggle('active', on);
    if (on) await loadGantt();
    publishGantt();
  }

  /** Selects an intent: its bars highlighted, its volumes outlined on the globe (and the camera brought to them), the
   * picture moved to the clicked window, its row in the approval queue marked. */
  async function selectIntent(id, volumeIndex = null) {
    gt.selectedId = id;
    source.entities.values.filter((e) => e.id.startsWith('sel:')).forEach((e) => source.entities.remove(e));
    for (const li of document.querySelectorAll('#mg-queue li')) li.classList.toggle('selected', li.dataset.id === id);
    const queued = document.querySelector(`#mg-queue li[data-id="${CSS.escape(String(id))}"]`);
    if (queued) queued.scrollIntoView({ block: 'nearest' });
    let intent = gt.intents.find((i) => i.id === id) ?? state.intents.find((i) => i.id === id);
    if (!intent) intent = await api(`/operations/${encodeURIComponent(id)}`);
    const windows = intentWindows(intent);
    const colour = Cesium.Color.fromCssColorString('#ffeb3b');
    const added = [];
    intent.volumes.forEach((v, k) => {
      const rings = v.footprint?.polygon ?? null;
      const circle = v.footprint?.circle ?? null;
      let hierarchy;
      if (rings) hierarchy = new Cesium.PolygonHierarchy(ctx.ring(rings[0]));
      else if (circle) hierarchy = null;
      const common = {
        id: `sel:${id}:${k}`,
        name: `${intent.aircraftId} · ${intent.state}`,
        description: `<p>${escapeHtml(intent.id)}</p><p>${escapeHtml(intent.operatorId)} · ${escapeHtml(intent.aircraftId)} · ${escapeHtml(intent.state)}</p>`
          + `<p>#${k}: ${escapeHtml(v.start)} – ${escapeHtml(v.end)}</p><p>${Math.round(v.lowerW84M)}–${Math.round(v.upperW84M)} m W84</p>`,
      };
      if (hierarchy) {
        added.push(source.entities.add({ ...common, polygon: { hierarchy, height: v.lowerW84M, extrudedHeight: v.upperW84M, material: colour.withAlpha(0.25), outline: true, outlineColor: colour } }));
      } else if (circle) {
        added.push(source.entities.add({
          ...common,
          position: Cesium.Cartesian3.fromDegrees(circle.center[0], circle.center[1], v.lowerW84M),
          ellipse: { semiMajorAxis: circle.radiusM, semiMinorAxis: circle.radiusM, height: v.lowerW84M, extrudedHeight: v.upperW84M, material: colour.withAlpha(0.25), outline: true, outlineColor: colour },
        }));
      }
    });
    yunlu.manager.selectedIntent = { id, state: intent.state, volumes: added.length, pending: gt.pendingIds.has(id) };
    if (added.length > 0) viewer.selectedEntity = added[0];
    const w = windows.find((x) => x.index === volumeIndex) ?? windows[0];
    if (w) await ctx.setTime((w.startMs + w.endMs) / 2);
    renderGantt();
    $('gt-info').innerHTML = `${escapeHtml(t('gtSelected'))}: <b>${escapeHtml(intent.aircraftId)}</b> ${escapeHtml(intent.operatorId)} `
      + `<span style="color:${stateColour(intent.state)}">${escapeHtml(intent.state)}</span>${gt.pendingIds.has(id) ? ` · ${escapeHtml(t('gtPending'))}` : ''} <small>${escapeHtml(id)}</small>`;
    if (added.length > 0) viewer.flyTo(added, { duration: 1.0 }).catch(report);
    return yunlu.manager.selectedIntent;
  }

  // Pointer: drag pans, wheel zooms around the pointer, a click on a bar selects its intent, a click elsewhere moves
  // the picture's time there.
  const body = $('gt-body');
  let drag = null;
  body.addEventListener('pointerdown', (e) => {
    if (!gt.view || e.button !== 0) return;
    drag = { x: e.clientX, view: gt.view, moved: false };
  });
  window.addEventListener('pointermove', (e) => {
    if (!drag) return;
    const dx = e.clientX - drag.x;
    if (Math.abs(dx) > 3) drag.moved = true;
    if (!drag.moved) return;
    const msPerPx = (drag.view.endMs - drag.view.startMs) / chartWidth();
    setView(panView(drag.view, -dx * msPerPx));
  });
  window.addEventListener('pointerup', () => {
    if (drag) setTimeout(() => { drag = null; }, 0);
  });
  body.addEventListener('click', (e) => {
    if (drag?.moved || !gt.layout) return;
    const svgBox = $('gt-svg').getBoundingClientRect();
    const x = e.clientX - svgBox.left - LABEL_W;
    const y = e.clientY - svgBox.top;
    if (x < 0) return;
    const bar = e.target instanceof SVGRectElement && e.target.dataset.intent
      ? { intentId: e.target.dataset.intent, volumeIndex: Number(e.target.dataset.volume) } : barAt(gt.layout, x, y);
    if (bar) {
      selectIntent(bar.intentId, bar.volumeIndex).catch(report);
    } else {
      const ms = gt.view.startMs + (x / chartWidth()) * (gt.view.endMs - gt.view.startMs);
      ctx.setTime(ms).catch(report);
      placeLines();
    }
  });
  body.addEventListener('wheel', (e) => {
    if (!gt.view) return;
    e.preventDefault();
    const svgBox = $('gt-svg').getBoundingClientRect();
    const x = Math.max(0, e.clientX - svgBox.left - LABEL_W);
    const anchor = gt.view.startMs + (x / chartWidth()) * (gt.view.endMs - gt.view.startMs);
    setView(zoomView(gt.view, e.deltaY > 0 ? 1.25 : 0.8, anchor));
  }, { passive: false });
  $('gt-axis').addEventListener('click', (e) => {
    if (!gt.view) return;
    const x = e.clientX - $('gt-axis').getBoundingClientRect().left - LABEL_W;
    if (x < 0) return;
    ctx.setTime(gt.view.startMs + (x / chartWidth()) * (gt.view.endMs - gt.view.startMs)).catch(report);
    placeLines();
  });
  const centre = () => (gt.view.startMs + gt.view.endMs) / 2;
  $('gt-zoom-in').addEventListener('click', () => gt.view && setView(zoomView(gt.view, 0.5, cursorX(ctx.currentTimeMs()) !== null ? ctx.currentTimeMs() : centre())));
  $('gt-zoom-out').addEventListener('click', () => gt.view && setView(zoomView(gt.view, 2, centre())));
  $('gt-fit').addEventListener('click', () => { const v = fitView(gt.intents); if (v) setView(v); });
  $('gt-now').addEventListener('click', () => {
    if (!gt.view) return;
    const span = gt.view.endMs - gt.view.startMs;
    setView({ startMs: Date.now() - span / 4, endMs: Date.now() + (3 * span) / 4 });
    ctx.setTime(null).catch(report);
  });
  $('gt-refresh').addEventListener('click', () => { loadGantt().catch(report); });
  $('gt-group').addEventListener('change', (e) => { gt.groupBy = e.target.value; renderGantt(); });
  $('gt-close').addEventListener('click', () => { showGantt(false).catch(report); });
  $('gt-toggle').addEventListener('click', () => { showGantt(gantt.hidden).catch(report); });

  // The time slider (or replay) moved the picture: the cursor follows, and the view pans to keep it in sight.
  setInterval(() => {
    // Signed out, or no longer a manager: the timeline goes with the manager's view.
    if (!gantt.hidden && $('view-manager').hidden) showGantt(false).catch(report);
    if (gantt.hidden || !gt.view) return;
    const ms = ctx.currentTimeMs();
    const moved = gt.lastCursorMs === null || Math.abs(ms - gt.lastCursorMs) > 1000;
    if (moved && state.timeMs !== null && (ms < gt.view.startMs || ms > gt.view.endMs)) {
      const span = gt.view.endMs - gt.view.startMs;
      gt.view = { startMs: ms - span / 2, endMs: ms + span / 2 };
      renderGantt();
    } else {
      placeLines();
      if (moved) {
        gt.lastCursorMs = ms;
        publishGantt();
      }
    }
    if (!gt.loading && Date.now() - gt.loadedAt > REFRESH_MS && state.auth) {
      gt.loading = true;
      loadGantt().catch(report).finally(() => { gt.loading = false; });
    }
  }, 400);
  window.addEventListener('resize', () => renderGantt());

  // ---- airway network generation -----------------------------------------------------------------------------

  const nw = { vertiports: [], network: null, lastRequest: null, nextPoint: 1 };

  function renderVertiports() {
    const list = $('nw-vertiports');
    list.replaceChildren();
    for (const v of nw.vertiports) {
      const li = document.createElement('li');
      li.dataset.id = v.siteId ?? v.id;
      li.textContent = v.siteId ?? v.id;
      const x = document.createElement('button');
      x.type = 'button';
      x.textContent = '×';
      x.addEventListener('click', () => {
        nw.vertiports = nw.vertiports.filter((o) => o !== v);
        renderVertiports();
      });
      li.append(' ', x);
      list.append(li);
    }
    yunlu.manager.vertiports = nw.vertiports.map((v) => v.siteId ?? v.id);
    drawPicks();
  }

  function drawPicks() {
    source.entities.values.filter((e) => e.id.startsWith('pick:')).forEach((e) => source.entities.remove(e));
    for (const v of nw.vertiports) {
      if (v.siteId) continue;
      source.entities.add({
        id: `pick:${v.id}`,
        position: Cesium.Cartesian3.fromDegrees(v.lonDeg, v.latDeg),
        point: { pixelSize: 10, color: Cesium.Color.fromCssColorString('#ffeb3b'), outlineColor: Cesium.Color.BLACK, outlineWidth: 1, disableDepthTestDistance: Number.POSITIVE_INFINITY },
        label: { text: v.id, font: '12px system-ui, sans-serif', pixelOffset: new Cesium.Cartesian2(0, -14), fillColor: Cesium.Color.WHITE, outlineColor: Cesium.Color.BLACK, outlineWidth: 3, style: Cesium.LabelStyle.FILL_AND_OUTLINE, disableDepthTestDistance: Number.POSITIVE_INFINITY },
      });
    }
  }

  /** Adds a vertiport: a stored site (by id) or a clicked point { lonDeg, latDeg } (a site within 1.5 km is taken). */
  function addVertiport(what) {
    if (typeof what === 'string') {
      if (!state.sites.some((s) => s.id === what)) throw new Error(`no site '${what}'`);
      if (!nw.vertiports.some((v) => v.siteId === what)) nw.vertiports.push({ siteId: what });
    } else {
      const site = nearestSite(state.sites, what, PICK_RADIUS_M);
      if (site) return addVertiport(site.id);
      const id = `P${nw.nextPoint++}`;
      nw.vertiports.push({ id, name: id, lonDeg: what.lonDeg, latDeg: what.latDeg });
    }
    renderVertiports();
    return yunlu.manager.vertiports;
  }

  function networkOptions() {
    const o = {};
    for (const k of ['detourTarget', 'headingLayers', 'lateralSeparationM', 'lowestFloorAglM', 'layerThicknessM', 'ceilingAglM', 'corridorWidthM', 'idPrefix']) {
      o[k] = $(`nw-${k}`).value.trim();
    }
    return o;
  }

  /** POST /airways/generate with the picked vertiports and options (store: also store as corridors). */
  async function generateNetwork(store = false) {
    clearErrors($('nw-form'));
    if (nw.vertiports.length < 2) {
      $('nw-result').innerHTML = `<p class="error">${escapeHtml(t('nwNeedTwo'))}</p>`;
      throw new Error(t('nwNeedTwo'));
    }
    const body = networkRequest(nw.vertiports, networkOptions(), store, { zones: $('nw-avoid-zones').checked, obstacles: $('nw-avoid-obstacles').checked });
    $('nw-result').innerHTML = `<p>${escapeHtml(t('loading'))}</p>`;
    let fc;
    try {
      fc = await api('/airways/generate', { method: 'POST', body });
    } catch (err) {
      $('nw-result').textContent = '';
      showProblem(err, $('nw-form'), $('nw-result'), (f) => f.replace(/^options\./, ''));
      throw err;
    }
    nw.network = readNetwork(fc);
    nw.lastRequest = body;
    await drawNetwork(nw.network);
    renderReport(nw.network);
    $('nw-store').disabled = nw.network.stored;
    yunlu.manager.network = {
      nodes: nw.network.nodes.length,
      junctions: nw.network.nodes.filter((n) => n.kind === 'JUNCTION').length,
      corridors: nw.network.corridors.length,
      layers: nw.network.layers.length,
      stored: nw.network.stored,
      report: nw.network.report,
      corridorIds: nw.network.corridors.map((c) => c.id),
    };
    if (store) await ctx.reloadCorridors();
    return yunlu.manager.network;
  }

  /** The network on the globe: corridors as lines coloured by heading layer, at their layer's mid height above the
   * terrain under each vertex; vertiports and junctions as points. */
  async function drawNetwork(net) {
    source.entities.values.filter((e) => e.id.startsWith('nw:')).forEach((e) => source.entities.remove(e));
    const layerCount = Math.max(1, net.layers.length);
    const cartos = [];
    for (const c of net.corridors) for (const [lon, lat] of c.line) cartos.push(Cesium.Cartographic.fromDegrees(lon, lat));
    for (const n of net.nodes) cartos.push(Cesium.Cartographic.fromDegrees(n.lonDeg, n.latDeg));
    let ground = null;
    if (state.visible.terrain && yunlu.layers.terrain) {
      try {
        ground = (await Cesium.sampleTerrain(yunlu.layers.terrain, 11, cartos)).map((c) => c.height);
      } catch {
        ground = null;
      }
    }
    const fallback = state.visible.terrain ? state.cityGroundAmslM + state.geoidUndulationM : 0;
    let k = 0;
    const groundAt = () => {
      const h = ground ? ground[k] : fallback;
      k++;
      return Number.isFinite(h) ? h : fallback;
    };
    for (const c of net.corridors) {
      const mid = ((c.floor?.value ?? 60) + (c.ceiling?.value ?? 80)) / 2;
      const flat = [];
      for (const [lon, lat] of c.line) flat.push(lon, lat, groundAt() + mid);
      const colour = Cesium.Color.fromCssColorString(layerColour(c.layer, layerCount));
      source.entities.add({
        id: `nw:${c.id}`,
        name: c.id,
        description: `<p>${escapeHtml(c.from)} → ${escapeHtml(c.to)}</p><p>${escapeHtml(t('nwLayer'))} ${c.layer} · ${c.floor?.value}–${c.ceiling?.value} m AGL · ${Math.round(c.lengthM)} m · ${c.capacityPerHour}/h</p>`,
        polyline: { positions: Cesium.Cartesian3.fromDegreesArrayHeights(flat), width: 4, material: new Cesium.PolylineArrowMaterialProperty(colour), depthFailMaterial: new Cesium.ColorMaterialProperty(colour.withAlpha(0.5)), arcType: Cesium.ArcType.NONE },
      });
    }
    for (const n of net.nodes) {
      const junction = n.kind === 'JUNCTION';
      source.entities.add({
        id: `nw:node:${n.id}`,
        name: n.name,
        position: Cesium.Cartesian3.fromDegrees(n.lonDeg, n.latDeg, groundAt() + 60),
        point: { pixelSize: junction ? 8 : 12, color: Cesium.Color.fromCssColorString(junction ? '#ff9800' : '#ffffff'), outlineColor: Cesium.Color.BLACK, outlineWidth: 1.5, disableDepthTestDistance: Number.POSITIVE_INFINITY },
        label: junction ? undefined : { text: n.id, font: '12px system-ui, sans-serif', pixelOffset: new Cesium.Cartesian2(0, -14), fillColor: Cesium.Color.WHITE, outlineColor: Cesium.Color.BLACK, outlineWidth: 3, style: Cesium.LabelStyle.FILL_AND_OUTLINE, disableDepthTestDistance: Number.POSITIVE_INFINITY },
      });
    }
  }

  function renderReport(net) {
    if (!net) return;
    const rows = reportRows(net.report).map(([k, v]) => `<tr><th>${escapeHtml(t(k))}</th><td>${escapeHtml(v)}</td></tr>`).join('');
    const layers = net.layers.map((l) => `<li><i class="swatch" style="background:${layerColour(l.index, net.layers.length)}"></i>${escapeHtml(t('nwLayer'))} ${l.index}: `
      + `${escapeHtml(t('nwHeading'))} ${Math.round(l.fromHeadingDeg)}–${Math.round(l.toHeadingDeg)}° · ${l.floorAglM}–${l.ceilingAglM} m AGL</li>`).join('');
    $('nw-result').innerHTML = `<table class="report" id="nw-report">${rows}</table><ul class="legend">${layers}</ul>`
      + (net.stored ? `<p class="ok">✓ ${escapeHtml(t('nwStored'))}: ${net.corridors.length}</p>` : '');
  }

  $('nw-pick').addEventListener('click', () => {
    if (yunlu.toolName === 'network') yunlu.setTool(null);
    else yunlu.setTool('network', (p) => { try { addVertiport(p); } catch (err) { report(err); } });
  });
  $('nw-all').addEventListener('click', () => {
    for (const s of state.sites) if (s.kind === 'vertiport' || s.kind === 'logistics_hub') addVertiport(s.id);
  });
  $('nw-clear').addEventListener('click', () => {
    nw.vertiports = [];
    nw.network = null;
    source.entities.values.filter((e) => e.id.startsWith('nw:')).forEach((e) => source.entities.remove(e));
    $('nw-result').textContent = '';
    $('nw-store').disabled = true;
    renderVertiports();
  });
  $('nw-generate').addEventListener('click', () => { generateNetwork(false).catch(report); });
  $('nw-store').addEventListener('click', () => { generateNetwork(true).catch(report); });

  // ---- problem details next to the fields ----------------------------------------------------------------------

  function clearErrors(container) {
    for (const el of container.querySelectorAll('.field-error')) el.remove();
    for (const el of container.querySelectorAll('.invalid')) el.classList.remove('invalid');
  }

  /** Shows an API error's violations next to the form's [data-field] elements (the longest field the violation names),
   * the rest in the result element. Returns the violations shown. */
  function showProblem(err, form, result, rename = (f) => f) {
    const violations = err?.problem ? problemViolations(err.problem) : [{ field: '$', message: err?.message ?? String(err) }];
    const fields = [...form.querySelectorAll('[data-field]')].map((el) => el.dataset.field).filter((f) => f !== '$');
    const shown = [];
    for (const v of violations) {
      const target = fieldFor(rename(v.field), fields);
      const el = target === '$' ? null : form.querySelector(`[data-field="${CSS.escape(target)}"]`);
      const note = document.createElement('small');
      note.className = 'field-error error';
      note.dataset.for = v.field;
      note.textContent = target === '$' ? `${v.field}: ${v.message}` : v.message;
      if (el) {
        el.classList.add('invalid');
        const anchor = el.closest('label, .row') ?? el;
        anchor.after(note);
      } else {
        result.append(note);
      }
      shown.push({ field: v.field, at: target, message: v.message });
    }
    return shown;
  }

  // ---- corridor editor -----------------------------------------------------------------------------------------

  const cr = { corridors: [], nodes: [], drawing: [], loadedAt: 0 };

  async function loadCorridorLists() {
    const [corridors, nodes] = await Promise.all([api('/corridors'), api('/airway-nodes')]);
    cr.corridors = corridors;
    cr.nodes = nodes;
    const current = $('cr-select').value;
    $('cr-select').innerHTML = `<option value="">${escapeHtml(t('crNew'))}</option>`
      + corridors.map((c) => `<option value="${escapeHtml(c.corridor.id)}">${escapeHtml(c.corridor.id)} · ${escapeHtml(c.corridor.name ?? '')}</option>`).join('');
    $('cr-select').value = corridors.some((c) => c.corridor.id === current) ? current : '';
    for (const id of ['cr-from', 'cr-to']) {
      const keep = $(id).value;
      $(id).innerHTML = nodes.map((n) => `<option value="${escapeHtml(n.id)}">${escapeHtml(n.id)} (${escapeHtml(n.kind)})</option>`).join('');
      if (keep) $(id).value = keep;
    }
  }

  function fillCorridor(id) {
    const c = cr.corridors.find((x) => x.corridor.id === id)?.corridor;
    if (!c) return;
    $('cr-id').value = c.id;
    $('cr-name').value = c.name ?? '';
    $('cr-from').value = c.fromNodeId;
    $('cr-to').value = c.toNodeId;
    $('cr-width').value = String(c.widthM);
    $('cr-direction').value = c.direction;
    $('cr-floor').value = String(c.floor.value);
    $('cr-floor-ref').value = c.floor.reference;
    $('cr-ceiling').value = String(c.ceiling.value);
    $('cr-ceiling-ref').value = c.ceiling.reference;
    $('cr-min-speed').value = String(c.minSpeedMps ?? 0);
    $('cr-max-speed').value = String(c.maxSpeedMps ?? 15);
    $('cr-capacity').value = String(c.capacityPerHour ?? 0);
    $('cr-line').value = formatCentreLine(c.centreLine);
    drawCorridorSketch(c.centreLine);
  }

  function drawCorridorSketch(line) {
    source.entities.removeById('cr:sketch');
    if (!line || line.length < 2) return;
    const flat = [];
    for (const [lon, lat] of line) flat.push(lon, lat);
    source.entities.add({
      id: 'cr:sketch',
      polyline: { positions: Cesium.Cartesian3.fromDegreesArray(flat), width: 3, material: Cesium.Color.fromCssColorString('#ffeb3b'), clampToGround: false, arcType: Cesium.ArcType.GEODESIC },
    });
  }

  const nodeById = (id) => {
    const n = cr.nodes.find((x) => x.id === id);
    return n ? { lonDeg: n.lonDeg, latDeg: n.latDeg } : null;
  };

  function corridorFromForm() {
    let centreLine;
    try {
      centreLine = parseCentreLine($('cr-line').value);
    } catch (err) {
      const e = new Error(err.message);
      e.problem = { violations: [{ field: 'centreLine', rule: 'coordinate-invalid', message: err.message }] };
      throw e;
    }
    return {
      id: $('cr-id').value.trim(),
      name: $('cr-name').value.trim(),
      fromNodeId: $('cr-from').value,
      toNodeId: $('cr-to').value,
      centreLine,
      widthM: Number($('cr-width').value),
      floor: { value: Number($('cr-floor').value), reference: $('cr-floor-ref').value },
      ceiling: { value: Number($('cr-ceiling').value), reference: $('cr-ceiling-ref').value },
      direction: $('cr-direction').value,
      minSpeedMps: Number($('cr-min-speed').value),
      maxSpeedMps: Number($('cr-max-speed').value),
      capacityPerHour: Math.round(Number($('cr-capacity').value)),
    };
  }

  /** PUT /corridors/{id} from the form; problems are shown at the fields. */
  async function saveCorridor() {
    clearErrors($('cr-form'));
    $('cr-result').textContent = '';
    try {
      const body = corridorFromForm();
      if (!body.id) throw Object.assign(new Error('id'), { problem: { violations: [{ field: 'id', rule: 'required', message: 'the corridor needs an id' }] } });
      const stored = await api(`/corridors/${encodeURIComponent(body.id)}`, { method: 'PUT', body });
      yunlu.manager.lastCorridor = { id: stored.corridor.id, version: stored.version };
      $('cr-result').innerHTML = `<p class="ok">✓ ${escapeHtml(t('saved'))}: ${escapeHtml(stored.corridor.id)} v${stored.version}</p>`;
      await Promise.all([loadCorridorLists(), ctx.reloadCorridors()]);
      $('cr-select').value = stored.corridor.id;
      return yunlu.manager.lastCorridor;
    } catch (err) {
      yunlu.manager.lastCorridorErrors = showProblem(err, $('cr-form'), $('cr-result'));
      throw err;
    }
  }

  async function deleteCorridor() {
    const id = $('cr-id').value.trim();
    clearErrors($('cr-form'));
    await api(`/corridors/${encodeURIComponent(id)}`, { method: 'DELETE' });
    $('cr-result').innerHTML = `<p class="ok">✓ ${escapeHtml(t('crDeleted'))}: ${escapeHtml(id)}</p>`;
    source.entities.removeById('cr:sketch');
    await Promise.all([loadCorridorLists(), ctx.reloadCorridors()]);
  }

  // The lists load when the form is first used (and again when the corridor list is opened after a while).
  $('cr-form').addEventListener('focusin', () => {
    if (Date.now() - cr.loadedAt > REFRESH_MS) {
      cr.loadedAt = Date.now();
      loadCorridorLists().catch(report);
    }
  });
  $('cr-select').addEventListener('change', (e) => fillCorridor(e.target.value));
  $('cr-draw').addEventListener('click', () => {
    if (yunlu.toolName === 'corridor') {
      // Finishing: the ends go onto the chosen nodes.
      yunlu.setTool(null);
      const line = snapEnds(cr.drawing, nodeById($('cr-from').value), nodeById($('cr-to').value));
      $('cr-line').value = formatCentreLine(line);
      drawCorridorSketch(line);
      return;
    }
    cr.drawing = [];
    loadCorridorLists().catch(report);
    yunlu.setTool('corridor', (p) => {
      cr.drawing.push([p.lonDeg, p.latDeg]);
      $('cr-line').value = formatCentreLine(cr.drawing);
      drawCorridorSketch(cr.drawing.length >= 2 ? cr.drawing : null);
    });
  });
  $('cr-save').addEventListener('click', () => { saveCorridor().catch(report); });
  $('cr-delete').addEventListener('click', () => { deleteCorridor().catch((err) => { showProblem(err, $('cr-form'), $('cr-result')); report(err); }); });

  // ---- zone schedule editor ------------------------------------------------------------------------------------

  const zs = { stored: null, weekly: [], optionsKey: null };

  function zoneOptions() {
    const keep = $('zs-zone').value;
    const ids = [...new Set(state.zones.map((z) => z.id))].sort();
    // Rebuilt only when the zones changed, so an open drop-down is not replaced under the pointer.
    const key = ids.join('|');
    if (key === zs.optionsKey) return;
    zs.optionsKey = key;
    $('zs-zone').innerHTML = `<option value=""></option>${ids.map((id) => `<option>${escapeHtml(id)}</option>`).join('')}`;
    if (keep && ids.includes(keep)) $('zs-zone').value = keep;
  }

  function renderWeekly() {
    const box = $('zs-weekly');
    box.replaceChildren();
    zs.weekly.forEach((w, i) => {
      const f = `applicability[0].weekly[${i}]`;
      const row = document.createElement('div');
      row.className = 'row weekly';
      row.dataset.field = f;
      const days = DAYS.map((d) => `<label class="day"><input autocomplete="off" type="checkbox" data-day="${d}"${w.days.includes(d) ? ' checked' : ''}>${escapeHtml(t(d))}</label>`).join('');
      row.innerHTML = `<span class="days" data-field="${f}.days">${days}</span>`
        + `<input autocomplete="off" class="hhmm" data-field="${f}.startTime" data-part="startTime" value="${escapeHtml(w.startTime)}" placeholder="HH:mm" aria-label="start">–`
        + `<input autocomplete="off" class="hhmm" data-field="${f}.endTime" data-part="endTime" value="${escapeHtml(w.endTime)}" placeholder="HH:mm" aria-label="end">`
        + `<button type="button" class="remove" title="${escapeHtml(t('zsRemove'))}">×</button>`;
      const read = (e) => {
        const el = e.target;
        if (el.dataset.day) w.days = DAYS.filter((d) => row.querySelector(`[data-day="${d}"]`).checked);
        else if (el.dataset.part) w[el.dataset.part] = el.value;
      };
      row.addEventListener('input', read);
      row.addEventListener('change', read);
      row.querySelector('.remove').addEventListener('click', () => {
        zs.weekly.splice(i, 1);
        renderWeekly();
      });
      box.append(row);
    });
  }

  function syncPermanent() {
    const on = $('zs-permanent').checked;
    $('zs-start').disabled = on;
    $('zs-end').disabled = on;
  }

  /** Loads a zone into the schedule form (GET /zones/{id}: the zone and its version, sent back as If-Match). */
  async function loadZoneForm(id) {
    clearErrors($('zs-form'));
    $('zs-result').textContent = '';
    if (!id) {
      zs.stored = null;
      return null;
    }
    if ($('zs-zone').value !== id) {
      zoneOptions();
      $('zs-zone').value = id;
    }
    zs.stored = await api(`/zones/${encodeURIComponent(id)}`);
    const z = zs.stored.zone;
    $('zs-version').textContent = `v${zs.stored.version}`;
    $('zs-floor').value = String(z.lower.value);
    $('zs-floor-ref').value = z.lower.reference;
    $('zs-ceiling').value = String(z.upper.value);
    $('zs-ceiling-ref').value = z.upper.reference;
    const form = formFromApplicability(z.applicability?.[0]);
    $('zs-permanent').checked = form.permanent;
    $('zs-start').value = form.start;
    $('zs-end').value = form.end;
    zs.weekly = form.weekly;
    const others = Math.max(0, (z.applicability?.length ?? 0) - 1);
    $('zs-others').textContent = others > 0 ? t('zsOtherEntries').replace('{n}', String(others)) : '';
    syncPermanent();
    renderWeekly();
    return { id, version: zs.stored.version };
  }

  /** PUT /zones/{id} with the form's floor, ceiling and schedule (If-Match: the loaded version); the server's
   * problems are shown next to the fields they name. */
  async function saveZoneSchedule() {
    clearErrors($('zs-form'));
    $('zs-result').textContent = '';
    if (!zs.stored) throw new Error('choose a zone first');
    const lower = { value: $('zs-floor').value === '' ? null : Number($('zs-floor').value), reference: $('zs-floor-ref').value };
    const upper = { value: $('zs-ceiling').value === '' ? null : Number($('zs-ceiling').value), reference: $('zs-ceiling-ref').value };
    try {
      const zone = zoneWithSchedule(zs.stored.zone, {
        lower, upper,
        schedule: { permanent: $('zs-permanent').checked, start: $('zs-start').value, end: $('zs-end').value, weekly: zs.weekly },
      });
      const stored = await api(`/zones/${encodeURIComponent(zone.identifier)}`, { method: 'PUT', body: zone, headers: { 'If-Match': `"${zs.stored.version}"` } });
      zs.stored = stored;
      $('zs-version').textContent = `v${stored.version}`;
      $('zs-result').innerHTML = `<p class="ok">✓ ${escapeHtml(t('saved'))}: ${escapeHtml(stored.zone.identifier)} v${stored.version}</p>`;
      yunlu.manager.lastSchedule = { id: stored.zone.identifier, version: stored.version, errors: [] };
      await ctx.reloadZones();
      return yunlu.manager.lastSchedule;
    } catch (err) {
      const shown = showProblem(err, $('zs-form'), $('zs-result'));
      yunlu.manager.lastSchedule = { id: zs.stored.zone.identifier, version: zs.stored.version, errors: shown };
      throw err;
    }
  }

  $('zs-zone').addEventListener('focus', zoneOptions);
  $('zs-zone').addEventListener('change', (e) => { loadZoneForm(e.target.value).catch(report); });
  $('zs-permanent').addEventListener('change', syncPermanent);
  $('zs-add').addEventListener('click', () => {
    zs.weekly.push({ days: ['MON', 'TUE', 'WED', 'THU', 'FRI'], startTime: '08:00', endTime: '18:00' });
    renderWeekly();
  });
  $('zs-save').addEventListener('click', () => { saveZoneSchedule().catch(report); });

  yunlu.manager = {
    gantt: null, selectedIntent: null, vertiports: [], network: null,
    showGantt, loadGantt, selectIntent, setGanttView: (startIso, endIso) => setView({ startMs: Date.parse(startIso), endMs: Date.parse(endIso) }),
    addVertiport, generateNetwork, loadCorridorLists, saveCorridor, loadZoneForm, saveZoneSchedule,
  };
  publishGantt();
  return {
    applyText() {
      $('gt-group').options[0].textContent = t('gtByIntent');
      $('gt-group').options[1].textContent = t('gtByAircraft');
      if (!gantt.hidden) renderGantt();
      if (nw.network) renderReport(nw.network);
      if (zs.weekly.length > 0) renderWeekly();
    },
  };
}
