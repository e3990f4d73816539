// Usage reports: peak concurrent use per day with the capacity line, denials per day, the hour-of-week
// heatmap and the right-size advice, for a period and time zone; every report can be exported as CSV or JSON
// straight from the API (/api/v1/reports/...), which is what the buttons link to.

import { ApiError, api } from './api.js';
import { startShell } from './shell.js';
import { barChart } from './charts.js';
import { count, el } from './format.js';

const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

const state = { from: null, to: null, zone: null, level: '99.9' };

/** The calendar date of an instant in a zone, e.g. "2027-01-15". */
function dateIn(instant, zone) {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
      new Date(instant),
    );
  } catch {
    return instant.substring(0, 10);
  }
}

/** The first day the minutes of a report cover: the period's start, or later when the minutes end before. */
function coveredDay(report) {
  const covered = dateIn(report.coveredFrom, report.zone);
  return covered > report.from ? covered : report.from;
}

function query(extra = {}) {
  const params = new URLSearchParams();
  if (state.from) params.set('from', state.from);
  if (state.to) params.set('to', state.to);
  if (state.zone) params.set('zone', state.zone);
  for (const [name, value] of Object.entries(extra)) {
    params.set(name, value);
  }
  return params.toString();
}

function setExport(id, report, format, extra = {}) {
  const link = document.getElementById(id);
  link.href = `/api/v1/reports/${report}?${query({ ...extra, format })}`;
  link.setAttribute('download', `usage-${report}-${state.from}-${state.to}.${format}`);
}

function shortDay(date) {
  const [year, month, day] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

function renderDaily(report) {
  const rows = report.rows;
  barChart(
    document.getElementById('peaks-chart'),
    rows.map((row) => ({
      label: shortDay(row.period),
      value: row.peakInUse,
      line: row.capacity,
      kind: row.minutesAtCapacity > 0 ? 'full' : '',
      title:
        row.peakInUse === null
          ? `${row.period}: nothing recorded`
          : `${row.period}: peak ${row.peakInUse} of ${row.capacity} seats, for ${row.minutesAtPeak} min;` +
            ` at capacity ${row.minutesAtCapacity} min; ${row.claims} logins; ${row.distinctAgents ?? '–'} agents`,
    })),
    { empty: 'Nothing recorded in this period.' },
  );
  const recorded = rows.filter((row) => row.peakInUse !== null);
  const peak = Math.max(0, ...recorded.map((row) => row.peakInUse));
  const full = recorded.filter((row) => row.minutesAtCapacity > 0).length;
  document.getElementById('peaks-caption').textContent = recorded.length
    ? `Highest peak ${count(peak)} of ${count(report.capacityNow)} seats licensed now; every seat taken on ` +
      `${count(full)} of ${count(recorded.length)} recorded days (red bars). Dashed line: the capacity of each day. ` +
      `Days in ${report.zone}.`
    : `Nothing was recorded between ${report.from} and ${report.to}.`;
  barChart(
    document.getElementById('denials-chart'),
    rows.map((row) => ({
      label: shortDay(row.period),
      value: row.peakInUse === null ? null : row.denials,
      kind: 'denial',
      title: `${row.period}: ${row.denials} denied`,
    })),
    { height: 200, empty: 'Nothing recorded in this period.' },
  );
  const denials = rows.reduce((sum, row) => sum + row.denials, 0);
  const days = rows.filter((row) => row.denials > 0).length;
  document.getElementById('denials-caption').textContent =
    `${count(denials)} logins denied because every seat was taken, on ${count(days)} days.`;
  setExport('export-daily-csv', 'daily', 'csv');
  setExport('export-daily-json', 'daily', 'json');
}

function renderHeatmap(report, capacity) {
  const cells = report.rows;
  const peak = Math.max(1, capacity || 0, ...cells.map((cell) => cell.peakInUse || 0));
  const head = el('tr', {}, el('th', { scope: 'col' }, ''), ...Array.from({ length: 24 }, (_, hour) => el('th', { scope: 'col' }, String(hour).padStart(2, '0'))));
  const body = DAYS.map((day, dayIndex) =>
    el(
      'tr',
      {},
      el('th', { scope: 'row' }, day.substring(0, 3)),
      ...Array.from({ length: 24 }, (_, hour) => {
        const cell = cells[dayIndex * 24 + hour];
        const share = cell.peakInUse === null ? 0 : cell.peakInUse / peak;
        const td = el(
          'td',
          {
            class: `${share > 0.55 ? 'hot' : ''} ${cell.minutesAtCapacity > 0 ? 'full' : ''}`.trim() || null,
            'data-day': cell.day,
            'data-hour': hour,
            'data-peak': cell.peakInUse === null ? null : cell.peakInUse,
            title:
              cell.peakInUse === null
                ? `${day} ${hour}:00–${hour + 1}:00: nothing recorded`
                : `${day} ${hour}:00–${hour + 1}:00: peak ${cell.peakInUse}, average ${cell.averageInUse},` +
                  ` every seat taken for ${cell.minutesAtCapacity} of ${cell.minutesRecorded} minutes`,
          },
          cell.peakInUse === null ? '' : String(cell.peakInUse),
        );
        if (cell.peakInUse !== null) {
          td.style.background = `rgba(11, 87, 164, ${(0.08 + share * 0.85).toFixed(3)})`;
        }
        return td;
      }),
    ),
  );
  const table = el('table', { class: 'heatmap', id: 'heatmap-table', 'aria-label': 'Peak seats in use by hour of the week' }, el('thead', {}, head), el('tbody', {}, ...body));
  document.getElementById('heatmap').replaceChildren(table);
  const since = coveredDay(report);
  document.getElementById('heatmap-caption').textContent =
    `Each cell: the most seats in use at once in that hour of the week, from ${since} to ${report.to}` +
    ` (${report.zone}); outlined where every seat was taken. Made of the per-minute record, which reaches back` +
    ' to the minute retention.';
  setExport('export-heatmap-csv', 'heatmap', 'csv');
  setExport('export-heatmap-json', 'heatmap', 'json');
}

function renderRightSize(advice) {
  document.getElementById('right-size-summary').textContent = advice.summary;
  document.getElementById('right-size-caption').textContent =
    `Demand of a minute = the most seats in use + the agents denied in it; a working minute has demand above 0.` +
    ` ${count(advice.workingMinutes)} working minutes of ${count(advice.minutesRecorded)} recorded since` +
    ` ${coveredDay(advice)}. Bars: minutes that would have had a denial with that many seats.`;
  barChart(
    document.getElementById('right-size-chart'),
    advice.rows.map((row) => ({
      label: String(row.seats),
      value: row.minutesWithDenial,
      kind: row.seats === advice.recommendedSeats ? 'recommended' : row.seats === advice.currentSeats ? 'current' : '',
      title: `${row.seats} seats: ${row.minutesWithDenial} minutes with a denial on ${row.daysWithDenial} days,` +
        ` ${row.refusedAgentMinutes} agent-minutes refused; no denial in ${row.serviceLevel} % of working minutes`,
    })),
    { height: 220, maxLabels: 40, xTitle: 'Seats (green: advised, grey: licensed now)' },
  );
  document.getElementById('right-size-rows').replaceChildren(
    ...advice.rows.map((row) =>
      el(
        'tr',
        { class: row.seats === advice.recommendedSeats ? 'advised' : null, 'data-seats': row.seats },
        el('td', {}, `${row.seats}${row.seats === advice.currentSeats ? ' (now)' : ''}${row.seats === advice.recommendedSeats ? ' (advised)' : ''}`),
        el('td', {}, count(row.minutesWithDenial)),
        el('td', {}, count(row.refusedAgentMinutes)),
        el('td', {}, count(row.daysWithDenial)),
        el('td', {}, `${row.serviceLevel} %`),
      ),
    ),
  );
  setExport('export-right-size-csv', 'right-size', 'csv', { serviceLevel: state.level });
  setExport('export-right-size-json', 'right-size', 'json', { serviceLevel: state.level });
}

function showError(error) {
  const box = document.getElementById('period-error');
  box.textContent = error instanceof ApiError ? error.message : `The server did not answer: ${error.message}`;
  box.hidden = false;
}

async function load() {
  document.getElementById('period-error').hidden = true;
  try {
    const daily = await api(`/api/v1/reports/daily?${query()}`);
    state.from = daily.from;
    state.to = daily.to;
    state.zone = daily.zone;
    document.getElementById('period-from').value = daily.from;
    document.getElementById('period-to').value = daily.to;
    document.getElementById('period-zone').value = daily.zone;
    history.replaceState(null, '', `/reports?${query({ serviceLevel: state.level })}`);
    renderDaily(daily);
    const [heatmap, advice] = await Promise.all([
      api(`/api/v1/reports/heatmap?${query()}`),
      api(`/api/v1/reports/right-size?${query({ serviceLevel: state.level })}`),
    ]);
    renderHeatmap(heatmap, daily.capacityNow);
    renderRightSize(advice);
    document.getElementById('main').dataset.loaded = 'true';
  } catch (error) {
    showError(error);
  }
}

function isoDay(date) {
  return date.toISOString().substring(0, 10);
}

async function main() {
  await startShell();
  const params = new URLSearchParams(location.search);
  state.from = params.get('from');
  state.to = params.get('to');
  state.zone = params.get('zone');
  state.level = params.get('serviceLevel') || state.level;
  const level = document.getElementById('service-level');
  if ([...level.options].some((option) => option.value === state.level)) {
    level.value = state.level;
  }
  if (typeof Intl.supportedValuesOf === 'function') {
    document.getElementById('zones').replaceChildren(
      ...Intl.supportedValuesOf('timeZone').map((zone) => el('option', { value: zone })),
    );
  }
  document.getElementById('period-form').addEventListener('submit', (event) => {
    event.preventDefault();
    state.from = document.getElementById('period-from').value;
    state.to = document.getElementById('period-to').value;
    state.zone = document.getElementById('period-zone').value.trim() || null;
    load();
  });
  for (const button of document.querySelectorAll('#period-form button[data-days]')) {
    button.addEventListener('click', () => {
      const to = state.to ? new Date(`${state.to}T00:00:00Z`) : new Date();
      const from = new Date(to.getTime() - (Number(button.dataset.days) - 1) * 86_400_000);
      state.from = isoDay(from);
      state.to = isoDay(to);
      load();
    });
  }
  level.addEventListener('change', async () => {
    state.level = level.value;
    history.replaceState(null, '', `/reports?${query({ serviceLevel: state.level })}`);
    try {
      renderRightSize(await api(`/api/v1/reports/right-size?${query({ serviceLevel: state.level })}`));
    } catch (error) {
      showError(error);
    }
  });
  await load();
}

main().catch(() => {});
