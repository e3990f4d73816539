// AC Admin, Alerts: the rules with their thresholds, the subscriptions (a webhook's signing secret shown once,
// a test event, the delivery log), the SMTP server (its password written, never shown) and the alerts fired.

import { ApiError, api } from './api.js';
import { el, localTime } from './format.js';

function message(id, ...content) {
  const box = document.getElementById(id);
  box.replaceChildren(...content);
  box.hidden = content.length === 0;
}

function problemText(error) {
  if (error instanceof ApiError) {
    return error.problem.detail || error.message;
  }
  return `The server did not answer: ${error.message}`;
}

function failed(id, error) {
  message(id, el('p', { class: 'error' }, problemText(error)));
}

// Rules

// The configurable rules as GET /api/v1/alerts/rules lists them: the choices of a subscription's rules.
let ruleCatalog = [];

// One checkbox per rule, checked when the subscription takes it; data-rule carries the rule's name.
function ruleCheckboxes(taken, idPrefix) {
  return ruleCatalog.map((rule) => {
    const box = el('input', { type: 'checkbox', id: `${idPrefix}-${rule.rule}`, 'data-rule': rule.rule });
    box.checked = taken.includes(rule.rule);
    return el('label', { class: 'inline rule-option', for: `${idPrefix}-${rule.rule}` }, box, ' ', rule.title);
  });
}

// The rules checked in a container: undefined when every rule is (the subscription takes every rule, also rules
// a later release adds), else their names.
function checkedRules(container) {
  const boxes = [...container.querySelectorAll('input[type="checkbox"][data-rule]')];
  const checked = boxes.filter((box) => box.checked).map((box) => box.dataset.rule);
  return checked.length === boxes.length ? undefined : checked;
}

function ruleTitles(subscription) {
  if (subscription.allRules) {
    return 'All rules';
  }
  return subscription.rules
    .map((name) => (ruleCatalog.find((rule) => rule.rule === name) || { title: name }).title)
    .join(', ');
}

function fillRuleChoice() {
  const fieldset = document.getElementById('alert-subscription-rules');
  const legend = fieldset.querySelector('legend');
  fieldset.replaceChildren(legend, ...ruleCheckboxes(ruleCatalog.map((rule) => rule.rule), 'alert-new-rule'));
}

function thresholdInputs(rule) {
  const label = (text, input) => el('label', { class: 'inline' }, text, ' ', input);
  switch (rule.rule) {
    case 'LICENSE_EXPIRING':
      return [label('days before the end', el('input', { type: 'text', size: 10, 'data-field': 'days', value: rule.days.join(', ') }))];
    case 'USAGE_HIGH':
      return [
        label('at or above', el('input', { type: 'number', min: 1, max: 100, 'data-field': 'percent', value: rule.percent })),
        ' % for ',
        label('minutes', el('input', { type: 'number', min: 1, max: 1440, 'data-field': 'minutes', value: rule.minutes })),
      ];
    case 'DENIAL':
      return [label('at most one per (minutes)', el('input', { type: 'number', min: 1, max: 1440, 'data-field': 'minutes', value: rule.minutes }))];
    case 'NODE_MISSING':
      return [label('missing for (minutes)', el('input', { type: 'number', min: 1, max: 1440, 'data-field': 'minutes', value: rule.minutes }))];
    default:
      return ['–'];
  }
}

async function saveRule(row, rule) {
  const body = { enabled: row.querySelector('[data-field="enabled"]').checked };
  for (const input of row.querySelectorAll('input[data-field]')) {
    const field = input.dataset.field;
    if (field === 'days') {
      body.days = input.value.split(/[ ,;]+/).filter((part) => part !== '').map(Number);
    } else if (field !== 'enabled') {
      body[field] = Number(input.value);
    }
  }
  try {
    const saved = await api(`/api/v1/alerts/rules/${encodeURIComponent(rule.rule)}`, { method: 'PUT', json: body });
    message('alert-rules-message', el('p', { class: 'success' }, `${saved.title}: ${saved.enabled ? 'on' : 'off'}, saved.`));
  } catch (error) {
    failed('alert-rules-message', error);
  }
}

async function loadRules() {
  const answer = await api('/api/v1/alerts/rules');
  ruleCatalog = answer.rules;
  fillRuleChoice();
  document.getElementById('alert-rule-rows').replaceChildren(
    ...answer.rules.map((rule) => {
      const enabled = el('input', { type: 'checkbox', 'data-field': 'enabled', 'aria-label': `${rule.title} on` });
      enabled.checked = rule.enabled;
      const save = el('button', { type: 'button', class: 'small', 'aria-label': `Save rule ${rule.title}` }, 'Save');
      const row = el(
        'tr',
        { 'data-rule': rule.rule },
        el('td', {}, rule.title, el('br'), el('span', { class: 'muted mono' }, rule.type)),
        el('td', {}, enabled),
        el('td', {}, ...thresholdInputs(rule)),
        el('td', {}, save),
      );
      save.addEventListener('click', () => saveRule(row, rule));
      return row;
    }),
  );
}

// Subscriptions

async function showDeliveries(subscription) {
  const section = document.getElementById('alert-deliveries');
  document.getElementById('alert-deliveries-title').textContent = `Delivery log of “${subscription.name}”`;
  const answer = await api(`/api/v1/alerts/subscriptions/${encodeURIComponent(subscription.id)}/deliveries`);
  document.getElementById('alert-delivery-rows').replaceChildren(
    ...(answer.attempts.length === 0
      ? [el('tr', {}, el('td', { colspan: 6, class: 'empty' }, 'Nothing delivered yet.'))]
      : answer.attempts.map((attempt) =>
          el(
            'tr',
            { 'data-outcome': attempt.outcome },
            el('td', {}, localTime(attempt.at, true)),
            el('td', {}, attempt.rule),
            el('td', { class: 'num' }, String(attempt.attempt)),
            el('td', {}, attempt.outcome),
            el('td', { class: 'num' }, attempt.statusCode === null ? '–' : String(attempt.statusCode)),
            el(
              'td',
              {},
              [attempt.error, attempt.nextAttemptAt ? `next attempt ${localTime(attempt.nextAttemptAt, true)}` : null]
                .filter(Boolean)
                .join('; ') || '–',
            ),
          ),
        )),
  );
  section.hidden = false;
}

async function sendTest(subscription) {
  message('alert-test-result', el('p', { class: 'muted' }, `Sending a test event to “${subscription.name}”…`));
  try {
    const attempt = await api(`/api/v1/alerts/subscriptions/${encodeURIComponent(subscription.id)}/test`, {
      method: 'POST',
      json: {},
    });
    const code = attempt.statusCode === null ? '' : ` (${attempt.statusCode})`;
    message(
      'alert-test-result',
      attempt.outcome === 'DELIVERED'
        ? el('p', { class: 'success' }, `Test event delivered to “${subscription.name}”${code}.`)
        : el('p', { class: 'error' }, `Test event not delivered to “${subscription.name}”${code}: ${attempt.error}`),
    );
    await showDeliveries(subscription);
  } catch (error) {
    failed('alert-test-result', error);
  }
}

async function removeSubscription(subscription) {
  if (!window.confirm(`Stop sending alerts to “${subscription.name}”? Its delivery log is removed too.`)) {
    return;
  }
  try {
    await api(`/api/v1/alerts/subscriptions/${encodeURIComponent(subscription.id)}`, { method: 'DELETE' });
    document.getElementById('alert-deliveries').hidden = true;
    await loadSubscriptions();
  } catch (error) {
    failed('alert-test-result', error);
  }
}

async function saveSubscriptionRules(subscription, editor) {
  const rules = checkedRules(editor);
  try {
    const saved = await api(`/api/v1/alerts/subscriptions/${encodeURIComponent(subscription.id)}/rules`, {
      method: 'PUT',
      json: { rules: rules === undefined ? null : rules },
    });
    await loadSubscriptions();
    message('alert-test-result', el('p', { class: 'success' }, `“${saved.name}” now takes: ${ruleTitles(saved)}.`));
  } catch (error) {
    failed('alert-test-result', error);
  }
}

// The Rules cell: what the subscription takes, and a disclosure with a checkbox per rule to change it.
function rulesCell(subscription) {
  const editor = el('div', { class: 'rule-editor' }, ...ruleCheckboxes(subscription.rules, `alert-rules-${subscription.id}`));
  const save = el('button', { type: 'button', class: 'small', 'aria-label': `Save rules of ${subscription.name}` }, 'Save rules');
  save.addEventListener('click', () => saveSubscriptionRules(subscription, editor));
  return el(
    'td',
    {},
    el(
      'details',
      { class: 'subscription-rules' },
      el('summary', { 'aria-label': `Rules of ${subscription.name}` }, ruleTitles(subscription)),
      editor,
      save,
    ),
  );
}

async function loadSubscriptions() {
  const answer = await api('/api/v1/alerts/subscriptions');
  document.getElementById('alert-subscription-rows').replaceChildren(
    ...(answer.subscriptions.length === 0
      ? [el('tr', {}, el('td', { colspan: 5, class: 'empty' }, 'No subscription yet: alerts are only listed below.'))]
      : answer.subscriptions.map((subscription) => {
          const test = el('button', { type: 'button', class: 'small', 'aria-label': `Send test event to ${subscription.name}` }, 'Send test event');
          const log = el('button', { type: 'button', class: 'small', 'aria-label': `Delivery log of ${subscription.name}` }, 'Delivery log');
          const remove = el('button', { type: 'button', class: 'small danger', 'aria-label': `Remove ${subscription.name}` }, 'Remove');
          test.addEventListener('click', () => sendTest(subscription));
          log.addEventListener('click', () => showDeliveries(subscription).catch((error) => failed('alert-test-result', error)));
          remove.addEventListener('click', () => removeSubscription(subscription));
          return el(
            'tr',
            { 'data-subscription': subscription.id },
            el('td', {}, subscription.name),
            el('td', {}, subscription.channel === 'WEBHOOK' ? 'Webhook' : 'E-mail'),
            el('td', { class: 'mono' }, subscription.target),
            rulesCell(subscription),
            el('td', { class: 'actions-cell' }, test, ' ', log, ' ', remove),
          );
        })),
  );
}

async function addSubscription(event) {
  event.preventDefault();
  message('alert-subscription-error');
  document.getElementById('alert-new-secret').hidden = true;
  const body = {
    name: document.getElementById('alert-subscription-name').value.trim(),
    channel: document.getElementById('alert-subscription-channel').value,
    target: document.getElementById('alert-subscription-target').value.trim(),
  };
  const rules = checkedRules(document.getElementById('alert-subscription-rules'));
  if (rules !== undefined) {
    body.rules = rules;
  }
  try {
    const created = await api('/api/v1/alerts/subscriptions', { method: 'POST', json: body });
    document.getElementById('alert-subscription-form').reset();
    fillRuleChoice();
    if (created.secret) {
      document.getElementById('alert-new-secret-value').value = created.secret;
      document.getElementById('alert-new-secret').hidden = false;
    }
    await loadSubscriptions();
  } catch (error) {
    message('alert-subscription-error', el('p', {}, problemText(error)));
  }
}

// SMTP server

function fillSmtp(smtp) {
  if (!smtp.configured) {
    return;
  }
  document.getElementById('alert-smtp-host').value = smtp.host;
  document.getElementById('alert-smtp-port').value = smtp.port;
  document.getElementById('alert-smtp-security').value = smtp.security;
  document.getElementById('alert-smtp-username').value = smtp.username || '';
  document.getElementById('alert-smtp-from').value = smtp.from;
  const password = document.getElementById('alert-smtp-password');
  password.value = '';
  password.placeholder = smtp.passwordSet ? 'set — leave empty to keep it' : 'not set';
}

async function loadSmtp() {
  fillSmtp(await api('/api/v1/alerts/smtp'));
}

async function saveSmtp(event) {
  event.preventDefault();
  message('alert-smtp-message');
  const password = document.getElementById('alert-smtp-password').value;
  const username = document.getElementById('alert-smtp-username').value.trim();
  const body = {
    host: document.getElementById('alert-smtp-host').value.trim(),
    port: Number(document.getElementById('alert-smtp-port').value),
    security: document.getElementById('alert-smtp-security').value,
    username: username === '' ? null : username,
    from: document.getElementById('alert-smtp-from').value.trim(),
  };
  if (password !== '') {
    body.password = password;
  }
  try {
    const saved = await api('/api/v1/alerts/smtp', { method: 'PUT', json: body });
    fillSmtp(saved);
    message('alert-smtp-message', el('p', { class: 'success' }, `Saved: ${saved.host}:${saved.port} (${saved.security}).`));
  } catch (error) {
    failed('alert-smtp-message', error);
  }
}

// Alerts fired

async function loadFired() {
  const answer = await api('/api/v1/alerts');
  document.getElementById('alert-fired-rows').replaceChildren(
    ...(answer.alerts.length === 0
      ? [el('tr', {}, el('td', { colspan: 3, class: 'empty' }, 'No alert has fired.'))]
      : answer.alerts.map((alert) =>
          el(
            'tr',
            { 'data-alert': alert.id },
            el('td', {}, localTime(alert.firedAt, true)),
            el('td', {}, alert.title),
            el('td', {}, alert.summary),
          ),
        )),
  );
}

/** Loads every part of the Alerts section. */
export async function loadAlerts() {
  message('alerts-error');
  try {
    await loadRules();
    await Promise.all([loadSubscriptions(), loadSmtp(), loadFired()]);
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 401)) {
      message('alerts-error', el('p', {}, problemText(error)));
    }
    throw error;
  }
}

/** Wires the section's forms and buttons; once, at page load. */
export function setUpAlerts() {
  document.getElementById('alert-subscription-form').addEventListener('submit', addSubscription);
  document.getElementById('alert-smtp-form').addEventListener('submit', saveSmtp);
  document.getElementById('alert-copy-secret').addEventListener('click', async (event) => {
    const value = document.getElementById('alert-new-secret-value').value;
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      document.getElementById('alert-new-secret-value').select();
      document.execCommand('copy');
    }
    event.target.textContent = 'Copied';
  });
}
