// The AC Agent Dashboard: seats in use, peaks, denials, the chart of concurrent use and the logged-in agents,
// kept live by the server-sent events of /api/v1/events. When the stream drops, the page says so, reconnects
// by itself with a growing pause, and fetches everything again once it is back.

import { ApiError, api, currentSession, goToLogin } from './api.js';
import { renderStateBanner, startShell } from './shell.js';
import { AgentList } from './agents.js';
import { axisTime, clockTime, count, el } from './format.js';

const REFRESH_MS = 60_000;
const MAX_BACKOFF_MS = 15_000;

const state = {
  usage: null,
  license: null,
  range: 'hour',
  chart: null,
  source: null,
  backoff: 1000,
  reconnectTimer: null,
  seatsLoading: false,
  bufferedChanges: [],
  denialsRefresh: null,
};

const agents = new AgentList({
  rows: document.getElementById('agent-rows'),
  range: document.getElementById('agent-range'),
  count: document.getElementById('agent-count'),
  search: document.getElementById('agent-search'),
  sort: document.getElementById('agent-sort'),
  previous: document.getElementById('page-prev'),
  next: document.getElementById('page-next'),
});

function setConnection(live, text) {
  const indicator = document.getElementById('connection');
  indicator.className = `connection ${live ? 'live' : 'down'}`;
  indicator.dataset.live = live ? 'true' : 'false';
  indicator.textContent = text;
}

function renderGauge(inUse, capacity) {
  document.getElementById('in-use').textContent = count(inUse);
  document.getElementById('capacity').textContent = count(capacity);
  const gauge = document.getElementById('gauge');
  gauge.setAttribute('aria-valuenow', String(inUse));
  gauge.setAttribute('aria-valuemax', String(capacity));
  gauge.setAttribute('aria-valuetext', `${inUse} of ${capacity} seats in use`);
  const share = capacity > 0 ? Math.min(1, inUse / capacity) : inUse > 0 ? 1 : 0;
  const value = document.getElementById('gauge-value');
  value.setAttribute('stroke-dashoffset', String(100 - share * 100));
  value.classList.toggle('high', share >= 0.8 && share < 1);
  value.classList.toggle('full', share >= 1);
  const free = Math.max(0, capacity - inUse);
  document.getElementById('gauge-caption').textContent =
    free === 0 ? 'No seat free: new logins are denied' : `${count(free)} free`;
}

function applyLive(live) {
  const usage = state.usage || { peak7Days: 0, peak30Days: 0, recentDenials: [] };
  const denialsRose = state.usage && live.denialsToday > state.usage.denialsToday;
  usage.inUse = live.inUse;
  usage.capacity = live.capacity;
  usage.peakToday = live.peakToday;
  usage.peak7Days = Math.max(usage.peak7Days || 0, live.peakToday);
  usage.peak30Days = Math.max(usage.peak30Days || 0, live.peakToday);
  usage.denialsToday = live.denialsToday;
  state.usage = usage;
  renderUsage();
  extendChart(live.inUse, live.capacity);
  if (denialsRose) {
    refreshDenialsSoon();
  }
}

function renderUsage() {
  const usage = state.usage;
  renderGauge(usage.inUse, usage.capacity);
  document.getElementById('peak-today').textContent = count(usage.peakToday);
  document.getElementById('peak-7').textContent = count(usage.peak7Days);
  document.getElementById('peak-30').textContent = count(usage.peak30Days);
  if (usage.zone) {
    document.getElementById('peak-zone').textContent = `Days count in ${usage.zone}, the license's time zone.`;
  }
  document.getElementById('denials-today').textContent = count(usage.denialsToday);
  const list = document.getElementById('denial-list');
  const recent = (usage.recentDenials || []).slice(0, 5);
  list.replaceChildren(
    ...recent.map((denial) =>
      el('li', {}, el('span', { class: 'mono' }, denial.agentId), el('span', { class: 'muted' }, clockTime(denial.at))),
    ),
  );
}

function refreshDenialsSoon() {
  if (state.denialsRefresh) {
    return;
  }
  state.denialsRefresh = setTimeout(async () => {
    state.denialsRefresh = null;
    try {
      const usage = await api('/api/v1/usage');
      state.usage.recentDenials = usage.recentDenials;
      renderUsage();
    } catch {
      // the next refresh tries again
    }
  }, 1000);
}

// Chart (uPlot from its WebJar)

function chartData(points) {
  const times = [];
  const inUse = [];
  const capacity = [];
  for (const point of points) {
    times.push(Date.parse(point.at) / 1000);
    inUse.push(point.maxInUse);
    capacity.push(point.capacity);
  }
  return [times, inUse, capacity];
}

// A value with no value on either side draws no line: the current minute of a fresh server, or the first minute
// after a pause. Such points are drawn as dots, so the chart shows the current minute live from the start.
function lonePoints(chart, seriesIndex) {
  const values = chart.data[seriesIndex];
  const lone = [];
  for (let i = 0; i < values.length; i++) {
    const alone = values[i] !== null && values[i] !== undefined;
    if (alone && (i === 0 || values[i - 1] === null) && (i === values.length - 1 || values[i + 1] === null)) {
      lone.push(i);
    }
  }
  return lone.length > 0 ? lone : null;
}

function renderChart() {
  const container = document.getElementById('chart');
  if (!state.usage || !state.usage.history || typeof uPlot === 'undefined') {
    return;
  }
  const points = state.range === 'hour' ? state.usage.history.hour : state.usage.history.day;
  const data = chartData(points);
  const width = Math.max(280, container.clientWidth);
  if (state.chart) {
    state.chart.setData(data);
    return;
  }
  const options = {
    width,
    height: 280,
    cursor: { drag: { x: false, y: false } },
    scales: {
      x: { time: true },
      y: { range: (chart, min, max) => [0, Math.max(2, Math.ceil((max || 0) * 1.15))] },
    },
    series: [
      { label: 'Time', value: (chart, seconds) => (seconds === null ? '–' : axisTime(seconds)) },
      {
        label: 'In use',
        stroke: '#0b57a4',
        width: 2,
        fill: 'rgba(11, 87, 164, 0.14)',
        spanGaps: false,
        points: { show: false, filter: lonePoints, size: 7, fill: '#0b57a4' },
      },
      {
        label: 'Capacity',
        stroke: '#b42318',
        width: 2,
        dash: [6, 4],
        spanGaps: false,
        points: { show: false, filter: lonePoints, size: 5 },
      },
    ],
    axes: [
      {
        stroke: '#4f5b69',
        grid: { stroke: '#eef1f5' },
        values: (chart, splits) => splits.map((split) => axisTime(split)),
      },
      { stroke: '#4f5b69', grid: { stroke: '#eef1f5' }, label: 'Seats' },
    ],
  };
  // eslint-disable-next-line no-undef
  state.chart = new uPlot(options, data, container);
  new ResizeObserver(() => {
    state.chart.setSize({ width: Math.max(280, container.clientWidth), height: 280 });
  }).observe(container);
}

function extendChart(inUse, capacity) {
  const history = state.usage && state.usage.history;
  if (!history) {
    return;
  }
  for (const series of [history.hour, history.day]) {
    const last = series[series.length - 1];
    if (last) {
      last.maxInUse = Math.max(last.maxInUse || 0, inUse);
      last.capacity = Math.max(last.capacity || 0, capacity);
    }
  }
  renderChart();
}

function selectRange(range) {
  state.range = range;
  document.getElementById('range-hour').setAttribute('aria-pressed', String(range === 'hour'));
  document.getElementById('range-day').setAttribute('aria-pressed', String(range === 'day'));
  renderChart();
}

// Loading and the live stream

async function loadLicense() {
  state.license = await api('/api/v1/license');
  const action = document.getElementById('nav-admin').hidden
    ? null
    : el('a', { class: 'button', href: '/admin#license' }, 'Apply a key');
  renderStateBanner('state-banner', state.license, action);
}

async function loadUsage() {
  state.usage = await api('/api/v1/usage');
  renderUsage();
  renderChart();
}

async function loadSeats() {
  state.seatsLoading = true;
  try {
    const seats = await api('/api/v1/seats');
    agents.replaceAll(seats.leases);
    for (const changes of state.bufferedChanges) {
      agents.apply(changes);
    }
  } finally {
    state.bufferedChanges = [];
    state.seatsLoading = false;
  }
}

async function loadAll() {
  await Promise.all([loadLicense(), loadUsage(), loadSeats()]);
}

function onLeases(data) {
  if (data.resync) {
    loadSeats().catch(() => {});
    return;
  }
  if (state.seatsLoading) {
    state.bufferedChanges.push(data.changes);
    return;
  }
  agents.apply(data.changes);
}

function connect() {
  clearTimeout(state.reconnectTimer);
  const source = new EventSource('/api/v1/events');
  state.source = source;
  source.addEventListener('open', () => {
    state.backoff = 1000;
    setConnection(true, 'Live');
    loadAll().catch(() => {});
  });
  source.addEventListener('usage', (event) => applyLive(JSON.parse(event.data)));
  source.addEventListener('leases', (event) => onLeases(JSON.parse(event.data)));
  source.addEventListener('state', () => {
    loadLicense().catch(() => {});
    loadUsage().catch(() => {});
  });
  source.addEventListener('error', () => {
    source.close();
    if (state.source !== source) {
      return;
    }
    const seconds = Math.round(state.backoff / 1000);
    setConnection(false, `Disconnected — reconnecting in ${seconds} s`);
    state.reconnectTimer = setTimeout(reconnect, state.backoff);
    state.backoff = Math.min(MAX_BACKOFF_MS, state.backoff * 2);
  });
}

async function reconnect() {
  setConnection(false, 'Disconnected — reconnecting…');
  try {
    const session = await currentSession();
    if (!session) {
      goToLogin(true);
      return;
    }
  } catch {
    // the server is down: try the stream again anyway, it will fail and back off
  }
  connect();
}

async function refreshPeriodically() {
  if (document.visibilityState !== 'visible' || !state.source || state.source.readyState !== EventSource.OPEN) {
    return;
  }
  try {
    await Promise.all([loadUsage(), loadSeats()]);
  } catch (error) {
    if (!(error instanceof ApiError)) {
      throw error;
    }
  }
}

async function main() {
  await startShell();
  document.getElementById('range-hour').addEventListener('click', () => selectRange('hour'));
  document.getElementById('range-day').addEventListener('click', () => selectRange('day'));
  connect();
  setInterval(() => refreshPeriodically().catch(() => {}), REFRESH_MS);
  setInterval(() => agents.render(), 30_000);
}

main().catch(() => {});
