// The monthly license usage report for finance: the license, its capacity, the peaks and the denials of one
// month, day by day, on a page that prints on A4 (reports.css has the print stylesheet).

import { ApiError, api } from './api.js';
import { startShell } from './shell.js';
import { barChart } from './charts.js';
import { count, el, zonedTime } from './format.js';

function monthName(month) {
  const [year, number] = month.split('-').map(Number);
  return new Intl.DateTimeFormat(undefined, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    new Date(Date.UTC(year, number - 1, 1)),
  );
}

function facts(id, pairs) {
  document.getElementById(id).replaceChildren(
    ...pairs.flatMap(([term, value]) => [el('dt', {}, term), el('dd', {}, value)]),
  );
}

function lastDay(month) {
  const [year, number] = month.split('-').map(Number);
  return new Date(Date.UTC(year, number, 0)).toISOString().substring(0, 10);
}

async function load(month) {
  const zoneParam = new URLSearchParams(location.search).get('zone');
  const zone = zoneParam ? `&zone=${encodeURIComponent(zoneParam)}` : '';
  const [license, monthly, daily] = await Promise.all([
    api('/api/v1/license'),
    api(`/api/v1/reports/monthly?from=${month}&to=${month}${zone}`),
    api(`/api/v1/reports/daily?from=${month}-01&to=${lastDay(month)}${zone}`),
  ]);
  const total = monthly.rows[0] || null;
  const terms = license.license || {};
  document.getElementById('month-title').textContent = `License usage report — ${monthName(month)}`;
  document.getElementById('month-subtitle').textContent =
    `Installation ${license.installationId} · days in ${monthly.zone} · made ${new Date().toISOString().substring(0, 16).replace('T', ' ')} UTC`;
  facts('license-facts', [
    ['Customer', terms.customer ? `${terms.customer.name} (${terms.customer.id})` : '–'],
    ['Order', terms.orderId || '–'],
    ['License ID', terms.licenseId || '–'],
    ['Licensed seats', count(terms.seats)],
    ['Valid', terms.start ? `${zonedTime(terms.start)} to ${zonedTime(terms.end)}` : '–'],
    ['State now', `${license.state}, capacity ${count(license.capacity)}`],
  ]);
  const recorded = total && total.minutesRecorded > 0;
  const full = daily.rows.filter((row) => row.minutesAtCapacity > 0).length;
  const denialDays = daily.rows.filter((row) => row.denials > 0).length;
  facts('month-facts', [
    ['Peak concurrent use', recorded ? `${count(total.peakInUse)} of ${count(total.capacity)} seats` : 'nothing recorded'],
    ['Time at peak', recorded ? `${count(total.minutesAtPeak)} minutes` : '–'],
    ['Every seat taken', recorded ? `${count(total.minutesAtCapacity)} minutes, on ${count(full)} days` : '–'],
    ['Logins (claims)', recorded ? count(total.claims) : '–'],
    ['Logins denied', recorded ? `${count(total.denials)}, on ${count(denialDays)} days` : '–'],
    ['Distinct agents', total && total.distinctAgents !== null ? count(total.distinctAgents) : 'not known'],
    ['Hours recorded', recorded ? count(Math.round(total.minutesRecorded / 60)) : '0'],
  ]);
  barChart(
    document.getElementById('month-chart'),
    daily.rows.map((row) => ({
      label: row.period.substring(8),
      value: row.peakInUse,
      line: row.capacity,
      kind: row.minutesAtCapacity > 0 ? 'full' : '',
    })),
    { height: 200, maxLabels: 31, empty: 'Nothing recorded in this month.' },
  );
  document.getElementById('month-rows').replaceChildren(
    ...daily.rows.map((row) => {
      const weekday = new Date(`${row.period}T12:00:00Z`).getUTCDay();
      return el(
        'tr',
        { class: weekday === 0 || weekday === 6 ? 'weekend' : null, 'data-day': row.period },
        el('td', {}, row.period),
        el('td', {}, count(row.peakInUse)),
        el('td', {}, count(row.capacity)),
        el('td', {}, count(row.minutesAtPeak)),
        el('td', {}, count(row.minutesAtCapacity)),
        el('td', {}, count(row.claims)),
        el('td', {}, count(row.denials)),
        el('td', {}, count(row.distinctAgents)),
      );
    }),
  );
  document.getElementById('month-footer').textContent =
    'Peak: the most agents logged in at once. A denial is a login refused because every seat was taken.' +
    ' Minutes count while the license server ran. Produced by innoACD Licensing from its usage record.';
  document.getElementById('main').dataset.loaded = 'true';
}

async function main() {
  await startShell();
  const input = document.getElementById('month');
  const params = new URLSearchParams(location.search);
  const now = new Date();
  const previous = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const month = params.get('month') || previous.toISOString().substring(0, 7);
  input.value = month;
  document.getElementById('print').addEventListener('click', () => window.print());
  document.getElementById('month-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const params = new URLSearchParams(location.search);
    params.set('month', input.value);
    location.search = params.toString();
  });
  try {
    await load(month);
  } catch (error) {
    document.getElementById('month-report').prepend(
      el('p', { class: 'error', role: 'alert' }, error instanceof ApiError ? error.message : String(error.message)),
    );
  }
}

main().catch(() => {});
