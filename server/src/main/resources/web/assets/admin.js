// AC Admin: the license status, applying a key (checked and previewed first), the license history, the
// audit log, users and API tokens. For administrators; anyone else is told so and shown the way back.

import { ApiError, api } from './api.js';
import { loadAlerts, setUpAlerts } from './alerts.js';
import { renderStateBanner, startShell, stateBadge } from './shell.js';
import { count, days, el, localTime, roleName, zonedTime } from './format.js';

const AUDIT_TYPES = [
  'SERVER_STARTED', 'KEY_APPLIED', 'KEY_REJECTED', 'STATE_CHANGED', 'CAPACITY_REDUCED', 'LEASES_REAPED',
  'CLAIM_DENIED', 'LEASE_CAPACITY_REDUCED', 'LOGIN', 'LOGIN_FAILED', 'LOGOUT', 'TOKEN_CREATED', 'TOKEN_REVOKED',
  'USER_CREATED', 'USER_DELETED', 'PASSWORD_CHANGED', 'CLOCK_JUMP', 'LICENSE_IGNORED', 'DEVELOPMENT_TRUST',
  'SEAT_FORCE_RELEASED', 'AGENT_UNBLOCKED', 'ALERT_SETTINGS_CHANGED', 'SEAT_COUNT_REPAIRED',
];

const REJECTION_TITLES = {
  MALFORMED: 'This is not a complete license key',
  UNSUPPORTED_VERSION: 'This key is in a format this server does not read',
  TOO_LARGE: 'This text is too large to be a license key',
  UNKNOWN_KEY_ID: 'This key was signed by a vendor key this system does not trust',
  BAD_SIGNATURE: 'This key was altered or damaged',
  WRONG_INSTALLATION: 'This key is for another installation',
  SUPERSEDED: 'This key is not newer than the license already applied',
  EXPIRED: 'This key’s license has run out',
};

const AUDIT_PAGE = 50;

const page = {
  status: null,
  keyText: '',
  audit: { before: null },
  loaded: new Set(),
};

function show(id, visible) {
  document.getElementById(id).hidden = !visible;
}

function message(id, ...content) {
  const box = document.getElementById(id);
  box.replaceChildren(...content);
  box.hidden = content.length === 0;
}

function problemText(error) {
  if (error instanceof ApiError) {
    if (error.status === 404 && error.type === 'not-found') {
      return 'This server does not offer this part of the API yet; update innoACD Licensing.';
    }
    return error.problem.detail || error.message;
  }
  return `The server did not answer: ${error.message}`;
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    const field = el('textarea', { class: 'visually-hidden', 'aria-hidden': 'true' }, text);
    document.body.append(field);
    field.select();
    document.execCommand('copy');
    field.remove();
  }
  const label = button.textContent;
  button.textContent = 'Copied';
  setTimeout(() => {
    button.textContent = label;
  }, 1500);
}

// License status

function fact(term, ...description) {
  return [el('dt', {}, term), el('dd', {}, ...description)];
}

function pendingSummary(pending) {
  if (!pending) {
    return 'None';
  }
  return `${pending.licenseId} (serial ${pending.serial}), ${count(pending.seats)} seats, starts ${zonedTime(pending.start)}`;
}

// The license clock beside the system clock; while the system clock has stepped away (status.clock.since),
// how far and since when: the state banner carries the CLOCK_JUMPED warning that says what to do.
function clockSummary(clock) {
  if (!clock) {
    return '–';
  }
  if (!clock.since) {
    return el('span', { id: 'status-clock' }, `${localTime(clock.trustedTime, true)}, the system clock agrees`);
  }
  const offsetSeconds = (Date.parse(clock.systemTime) - Date.parse(clock.trustedTime)) / 1000;
  const hours = Math.floor(Math.abs(offsetSeconds) / 3600);
  const minutes = Math.floor((Math.abs(offsetSeconds) % 3600) / 60);
  const amount = hours > 0 ? `${hours} h ${minutes} min` : `${minutes} min`;
  return el(
    'span',
    { id: 'status-clock', class: 'warning-text', 'data-since': clock.since },
    `${localTime(clock.trustedTime, true)}; the system clock reads ${amount} ${offsetSeconds > 0 ? 'ahead' : 'behind'}`,
    ` (${localTime(clock.systemTime, true)}) since ${localTime(clock.since, true)}`,
  );
}

function renderStatus(status) {
  page.status = status;
  document.getElementById('state-badge').replaceChildren(stateBadge(status.state));
  const license = status.license;
  const copyButton = el('button', { type: 'button', class: 'small', id: 'copy-installation' }, 'Copy');
  copyButton.addEventListener('click', () => copy(status.installationId, copyButton));
  const seats = [`${count(status.capacity)} usable now, ${count(status.inUse)} in use`];
  if (license && license.seats !== status.capacity) {
    seats.push(` (licensed: ${count(license.seats)})`);
  }
  const facts = [
    ...fact('State', stateBadge(status.state)),
    ...fact('Customer', license ? `${license.customer.name} (${license.customer.id})` : '–'),
    ...fact(
      'Installation ID',
      el('span', { class: 'copy-row' }, el('span', { class: 'mono', id: 'installation-id' }, status.installationId), copyButton),
    ),
    ...fact('Seats', el('span', { id: 'status-seats' }, ...seats)),
    ...fact(
      'Features',
      status.features.length === 0
        ? '–'
        : el('span', { class: 'chips' }, ...status.features.map((feature) => el('span', { class: 'chip' }, feature))),
    ),
    ...fact('License', license ? `${license.licenseId}, serial ${license.serial}, order ${license.orderId}` : 'None applied'),
    ...fact('Start', zonedTime(status.start)),
    ...fact('End', zonedTime(status.end)),
    ...fact('Grace end', zonedTime(status.graceEnd)),
    ...fact(
      'Days remaining',
      status.state === 'ACTIVE' || status.state === 'GRACE'
        ? `${days(status.daysRemaining)}${status.state === 'GRACE' ? ' of grace' : ''}`
        : '–',
    ),
    ...fact('Pending renewal', pendingSummary(status.pending)),
    ...fact('Trusted vendor keys', trustSummary(status.trust)),
    ...fact('Trusted time', clockSummary(status.clock)),
  ];
  const ignored = status.ignoredLicenses || [];
  if (ignored.length > 0) {
    facts.push(
      ...fact(
        'Ignored licenses',
        el(
          'ul',
          { id: 'ignored-licenses', class: 'plain-list' },
          ...ignored.map((left) =>
            el('li', { 'data-serial': String(left.serial) }, `${left.licenseId} (serial ${left.serial}): ${left.reason}, ${left.message}`),
          ),
        ),
      ),
    );
  }
  document.getElementById('status-facts').replaceChildren(...facts);
  const licenseWarnings = status.warnings.filter((warning) => warning.code !== 'CLOCK_JUMPED');
  const action =
    status.state === 'ACTIVE' && licenseWarnings.length === 0
      ? null
      : el('a', { class: 'button', href: '#license', id: 'banner-apply' }, 'Apply a key');
  if (action) {
    action.addEventListener('click', () => document.getElementById('key-text').focus());
  }
  renderStateBanner('state-banner', status, action);
}

function trustSummary(trust) {
  if (!trust) {
    return '–';
  }
  const keys = trust.keys.map((key) => (key.source === 'DEVELOPMENT' ? `${key.keyId} (development)` : key.keyId)).join(', ');
  return trust.mode === 'DEVELOPMENT' ? `Development trust: ${keys}` : `Vendor's built-in keys: ${keys}`;
}

async function loadStatus() {
  renderStatus(await api('/api/v1/license'));
}

// Applying a key

function resetKeyPanels() {
  message('key-error');
  message('key-success');
  show('key-preview', false);
}

function rejection(error) {
  const problem = error.problem || {};
  if (error.type === 'license-key-rejected') {
    const title = REJECTION_TITLES[problem.reason] || 'This key was not applied';
    const parts = [
      el('p', { class: 'panel-title' }, title),
      el('p', { id: 'key-error-detail' }, capitalize(problem.detail || '')),
      el('p', {}, el('strong', {}, 'What to do: '), capitalize(problem.description || '')),
    ];
    if (problem.reason === 'WRONG_INSTALLATION' && page.status) {
      parts.push(el('p', {}, 'This system’s installation ID is ', el('span', { class: 'mono' }, page.status.installationId), '.'));
    }
    parts.push(el('p', { class: 'muted' }, `Reason code: ${problem.reason}`));
    return parts;
  }
  return [el('p', { class: 'panel-title' }, 'The key could not be checked'), el('p', {}, problemText(error))];
}

function capitalize(text) {
  return text ? text.charAt(0).toUpperCase() + text.substring(1) : text;
}

function comparison(label, now, after) {
  const changed = now !== after;
  return el(
    'tr',
    { class: changed ? 'changed' : null, 'data-field': label },
    el('th', { scope: 'row' }, label),
    el('td', {}, now),
    el('td', {}, after, changed ? el('span', { class: 'visually-hidden' }, ' (changes)') : ''),
  );
}

function terms(status) {
  const license = status.license;
  return {
    state: status.state,
    capacity: count(status.capacity),
    licensedSeats: license ? count(license.seats) : '–',
    features: status.features.join(', ') || '–',
    customer: license ? license.customer.name : '–',
    license: license ? `${license.licenseId} (serial ${license.serial})` : 'None',
    start: zonedTime(status.start),
    end: zonedTime(status.end),
    graceEnd: zonedTime(status.graceEnd),
    pending: pendingSummary(status.pending),
  };
}

function renderPreview(preview) {
  const now = terms(page.status);
  const after = terms(preview.statusAfter);
  document.getElementById('preview-rows').replaceChildren(
    comparison('State', now.state, after.state),
    comparison('Seats usable', now.capacity, after.capacity),
    comparison('Licensed seats', now.licensedSeats, after.licensedSeats),
    comparison('Features', now.features, after.features),
    comparison('Customer', now.customer, after.customer),
    comparison('License in force', now.license, after.license),
    comparison('Start', now.start, after.start),
    comparison('End', now.end, after.end),
    comparison('Grace end', now.graceEnd, after.graceEnd),
    comparison('Pending renewal', now.pending, after.pending),
  );
  show('key-preview', true);
  document.getElementById('apply-key').focus();
}

async function checkKey(event) {
  event.preventDefault();
  resetKeyPanels();
  const text = document.getElementById('key-text').value.trim();
  if (!text) {
    message('key-error', el('p', {}, 'Paste a license key or choose a .lic file first.'));
    return;
  }
  page.keyText = text;
  const button = document.getElementById('check-key');
  button.disabled = true;
  try {
    if (!page.status) {
      await loadStatus();
    }
    renderPreview(await api('/api/v1/license/preview', { method: 'POST', text }));
  } catch (error) {
    message('key-error', ...rejection(error));
  } finally {
    button.disabled = false;
  }
}

async function applyKey() {
  const button = document.getElementById('apply-key');
  button.disabled = true;
  try {
    const status = await api('/api/v1/license', { method: 'POST', text: page.keyText });
    show('key-preview', false);
    const license = status.license;
    message(
      'key-success',
      el('p', { class: 'panel-title' }, 'Key applied'),
      el(
        'p',
        {},
        license
          ? `License ${license.licenseId} (serial ${license.serial}) is applied. The state is now ${status.state} with ${count(status.capacity)} seats usable.`
          : `The key is applied. The state is now ${status.state}.`,
      ),
    );
    document.getElementById('key-text').value = '';
    document.getElementById('key-file').value = '';
    renderStatus(status);
    page.loaded.delete('history');
  } catch (error) {
    show('key-preview', false);
    message('key-error', ...rejection(error));
  } finally {
    button.disabled = false;
  }
}

async function readKeyFile() {
  const file = document.getElementById('key-file').files[0];
  if (!file) {
    return;
  }
  resetKeyPanels();
  if (file.size > 16 * 1024) {
    message('key-error', el('p', {}, `${file.name} is larger than any license key; choose the .lic file the vendor sent.`));
    return;
  }
  document.getElementById('key-text').value = await file.text();
}

// License history

async function loadHistory() {
  const rows = document.getElementById('history-rows');
  try {
    const history = await api('/api/v1/license/history');
    const licenses = [...history.licenses].sort((a, b) => b.license.serial - a.license.serial);
    rows.replaceChildren(
      ...(licenses.length === 0
        ? [el('tr', {}, el('td', { colspan: 8, class: 'empty' }, 'No key has been applied yet.'))]
        : licenses.map((applied) =>
            el(
              'tr',
              {},
              el('td', { class: 'num' }, String(applied.license.serial)),
              el('td', { class: 'mono' }, applied.license.licenseId),
              el('td', {}, applied.license.customer.name),
              el('td', { class: 'num' }, count(applied.license.seats)),
              el('td', {}, zonedTime(applied.license.start)),
              el('td', {}, zonedTime(applied.license.end)),
              el('td', {}, localTime(applied.appliedAt)),
              el('td', {}, applied.appliedBy),
            ),
          )),
    );
  } catch (error) {
    rows.replaceChildren(el('tr', {}, el('td', { colspan: 8, class: 'error' }, problemText(error))));
  }
}

// Cluster nodes: every server node of this installation, which one leads (does the work that must happen
// once), when each was last seen and how far its clock is from the database's.

function offsetText(node) {
  if (node.clockOffsetMillis === null || node.clockOffsetMillis === undefined) {
    return '–';
  }
  return `${node.clockOffsetMillis > 0 ? '+' : ''}${node.clockOffsetMillis} ms`;
}

function seatCallsText(node) {
  if (node.missing) {
    return el('span', { class: 'warning-text' }, 'missing: no heartbeat for 5 s');
  }
  if (!node.serving) {
    return el('span', { class: 'warning-text' }, `refused: clock beyond ±${node.maxClockOffsetMillis} ms`);
  }
  return 'served';
}

async function loadCluster() {
  const rows = document.getElementById('cluster-rows');
  const summary = document.getElementById('cluster-summary');
  try {
    const cluster = await api('/api/v1/cluster');
    summary.textContent =
      cluster.mode === 'embedded'
        ? 'One server with the embedded database: it does all the work itself.'
        : `${count(cluster.nodes.length)} nodes share the cluster database; the leader does the work that must happen once (reaping, lifecycle audit, usage peaks, retention).`;
    rows.replaceChildren(
      ...cluster.nodes.map((node) =>
        el(
          'tr',
          { 'data-node': node.id, class: node.missing ? 'missing' : '' },
          el(
            'td',
            { class: 'mono' },
            node.address,
            node.self ? ' (this node)' : '',
            // It accepts license keys the other nodes ignore (docs/trust.md); the state banner says so too.
            node.trust === 'DEVELOPMENT'
              ? el('span', { class: 'warning-text', 'data-trust': 'DEVELOPMENT' }, ' development trust')
              : '',
          ),
          el('td', {}, node.version),
          el('td', {}, localTime(node.lastSeen, true)),
          el('td', {}, node.leader ? el('strong', {}, 'Leader') : 'Follower'),
          el('td', { class: 'num' }, offsetText(node)),
          el('td', {}, seatCallsText(node)),
        ),
      ),
    );
  } catch (error) {
    rows.replaceChildren(el('tr', {}, el('td', { colspan: 6, class: 'error' }, problemText(error))));
  }
}

// Audit log

function auditQuery(before) {
  const params = new URLSearchParams({ limit: String(AUDIT_PAGE) });
  const type = document.getElementById('audit-type').value;
  const actor = document.getElementById('audit-actor').value.trim();
  const from = document.getElementById('audit-from').value;
  const to = document.getElementById('audit-to').value;
  if (type) params.set('type', type);
  if (actor) params.set('actor', actor);
  if (from) params.set('from', new Date(from).toISOString());
  if (to) params.set('to', new Date(to).toISOString());
  if (before) params.set('before', String(before));
  return params;
}

async function loadAudit(more) {
  message('audit-error');
  const rows = document.getElementById('audit-rows');
  try {
    const answer = await api('/api/v1/audit?' + auditQuery(more ? page.audit.before : null).toString());
    const events = answer.events.map((event) =>
      el(
        'tr',
        { 'data-type': event.type },
        el('td', {}, localTime(event.at, true)),
        el('td', {}, el('span', { class: 'chip' }, event.type)),
        el('td', {}, event.actor),
        el('td', {}, event.detail),
      ),
    );
    if (more) {
      rows.append(...events);
    } else {
      rows.replaceChildren(
        ...(events.length === 0 ? [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'No event matches.'))] : events),
      );
    }
    page.audit.before = answer.nextBefore;
    show('audit-more', answer.nextBefore !== null && answer.nextBefore !== undefined);
  } catch (error) {
    message('audit-error', el('p', {}, problemText(error)));
  }
}

// Users

async function loadUsers() {
  message('users-error');
  const rows = document.getElementById('user-rows');
  try {
    const answer = await api('/api/v1/users');
    const users = Array.isArray(answer) ? answer : answer.users;
    rows.replaceChildren(
      ...users.map((user) => {
        const remove = el('button', { type: 'button', class: 'small danger', 'aria-label': `Delete user ${user.username}` }, 'Delete');
        remove.addEventListener('click', () => deleteUser(user.username));
        return el(
          'tr',
          { 'data-user': user.username },
          el('td', {}, user.username),
          el('td', {}, roleName(user.role)),
          el('td', {}, localTime(user.createdAt)),
          el('td', {}, remove),
        );
      }),
    );
  } catch (error) {
    rows.replaceChildren();
    message('users-error', el('p', {}, problemText(error)));
  }
}

async function deleteUser(username) {
  if (!window.confirm(`Delete user ${username}? They are signed out at once.`)) {
    return;
  }
  try {
    await api(`/api/v1/users/${encodeURIComponent(username)}`, { method: 'DELETE' });
    await loadUsers();
  } catch (error) {
    message('users-error', el('p', {}, problemText(error)));
  }
}

async function createUser(event) {
  event.preventDefault();
  message('user-form-error');
  message('user-form-success');
  const username = document.getElementById('new-username').value.trim();
  const role = document.getElementById('new-user-role').value;
  const password = document.getElementById('new-password').value;
  try {
    await api('/api/v1/users', { method: 'POST', json: { username, role, password } });
    message('user-form-success', el('p', {}, `User ${username} added as ${roleName(role)}.`));
    document.getElementById('user-form').reset();
    await loadUsers();
  } catch (error) {
    message('user-form-error', el('p', {}, problemText(error)));
  }
}

// API tokens

async function loadTokens() {
  message('tokens-error');
  const rows = document.getElementById('token-rows');
  try {
    const answer = await api('/api/v1/tokens');
    rows.replaceChildren(
      ...(answer.tokens.length === 0
        ? [el('tr', {}, el('td', { colspan: 4, class: 'empty' }, 'No API token yet.'))]
        : answer.tokens.map((token) => {
            const revoke = el('button', { type: 'button', class: 'small danger', 'aria-label': `Revoke token ${token.name}` }, 'Revoke');
            revoke.addEventListener('click', () => revokeToken(token));
            return el(
              'tr',
              { 'data-token': token.id },
              el('td', {}, token.name),
              el('td', {}, roleName(token.role)),
              el('td', {}, localTime(token.createdAt)),
              el('td', {}, revoke),
            );
          })),
    );
  } catch (error) {
    message('tokens-error', el('p', {}, problemText(error)));
  }
}

async function revokeToken(token) {
  if (!window.confirm(`Revoke token “${token.name}”? Whatever uses it is refused at once.`)) {
    return;
  }
  try {
    await api(`/api/v1/tokens/${encodeURIComponent(token.id)}`, { method: 'DELETE' });
    await loadTokens();
  } catch (error) {
    message('tokens-error', el('p', {}, problemText(error)));
  }
}

async function createToken(event) {
  event.preventDefault();
  message('token-form-error');
  show('new-token', false);
  const name = document.getElementById('token-name').value.trim();
  const role = document.getElementById('token-role').value;
  try {
    const created = await api('/api/v1/tokens', { method: 'POST', json: { name, role } });
    document.getElementById('new-token-value').value = created.token;
    show('new-token', true);
    document.getElementById('token-form').reset();
    document.getElementById('new-token-value').select();
    await loadTokens();
  } catch (error) {
    message('token-form-error', el('p', {}, problemText(error)));
  }
}

// Tabs

const LOADERS = {
  license: loadStatus,
  history: loadHistory,
  audit: () => loadAudit(false),
  users: loadUsers,
  tokens: loadTokens,
  cluster: loadCluster,
  alerts: loadAlerts,
};

function selectTab() {
  const wanted = location.hash.substring(1);
  const tab = LOADERS[wanted] ? wanted : 'license';
  for (const link of document.querySelectorAll('.tabs a')) {
    link.setAttribute('aria-current', String(link.dataset.tab === tab));
  }
  for (const panel of document.querySelectorAll('[data-panel]')) {
    panel.hidden = panel.dataset.panel !== tab;
  }
  LOADERS[tab]().catch((error) => {
    if (!(error instanceof ApiError && error.status === 401)) {
      console.error(error);
    }
  });
}

async function main() {
  const session = await startShell();
  if (session.role !== 'ADMIN') {
    document.getElementById('not-admin-text').textContent =
      `You are signed in as ${session.user} (${roleName(session.role)}). Supervisors watch seats on the Agent Dashboard.`;
    show('not-admin', true);
    return;
  }
  show('admin', true);
  const typeSelect = document.getElementById('audit-type');
  typeSelect.append(...AUDIT_TYPES.map((type) => el('option', { value: type }, type)));
  document.getElementById('key-form').addEventListener('submit', checkKey);
  document.getElementById('key-file').addEventListener('change', () => readKeyFile().catch(() => {}));
  document.getElementById('apply-key').addEventListener('click', applyKey);
  document.getElementById('cancel-key').addEventListener('click', () => {
    show('key-preview', false);
    document.getElementById('key-text').focus();
  });
  document.getElementById('audit-form').addEventListener('submit', (event) => {
    event.preventDefault();
    loadAudit(false);
  });
  document.getElementById('audit-clear').addEventListener('click', () => {
    document.getElementById('audit-form').reset();
    loadAudit(false);
  });
  document.getElementById('audit-more').addEventListener('click', () => loadAudit(true));
  document.getElementById('user-form').addEventListener('submit', createUser);
  document.getElementById('token-form').addEventListener('submit', createToken);
  setUpAlerts();
  document.getElementById('copy-token').addEventListener('click', (event) =>
    copy(document.getElementById('new-token-value').value, event.target),
  );
  document.getElementById('cluster-refresh').addEventListener('click', () => loadCluster());
  window.addEventListener('hashchange', selectTab);
  if (!location.hash || !LOADERS[location.hash.substring(1)]) {
    history.replaceState(null, '', '#license');
  }
  await loadStatus().catch(() => {});
  selectTab();
}

main().catch(() => {});
