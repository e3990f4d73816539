// Force-release on the AC Agent Dashboard (issue 12): for administrators, a "Release…" button on each row of
// the agent list opens a confirmation dialog with an optional reason and an optional block on the agent's
// claims; below the list, the agents whose claims are blocked now, with "Lift block". Kept in a module of its
// own beside dashboard.js and agents.js: it finds the rows those draw by their data-agent attribute and adds
// its button whenever the list is drawn again.

import { api, ApiError, currentSession } from './api.js';
import { el, localTime } from './format.js';

const BLOCKS = [
  ['', 'No block'],
  ['300', '5 minutes'],
  ['900', '15 minutes'],
  ['3600', '1 hour'],
  ['28800', '8 hours'],
];

async function start() {
  const rows = document.getElementById('agent-rows');
  if (!rows) {
    return;
  }
  let session;
  try {
    session = await currentSession();
  } catch {
    return;
  }
  if (!session) {
    return;
  }
  const admin = session.role === 'ADMIN';
  const status = el('div', { id: 'release-status', role: 'status', 'aria-live': 'polite', hidden: true });
  rows.closest('section').append(status, blocksSection(admin));
  refreshBlocks(admin);
  if (!admin) {
    return;
  }
  const headRow = rows.closest('table').querySelector('thead tr');
  headRow.append(el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Actions')));
  const dialog = releaseDialog(status, () => refreshBlocks(admin));
  const decorate = () => {
    for (const row of rows.querySelectorAll('tr[data-agent]')) {
      if (!row.querySelector('button.release')) {
        const agent = row.dataset.agent;
        row.append(
          el(
            'td',
            {},
            el(
              'button',
              {
                type: 'button',
                class: 'small danger release',
                'aria-label': `Release the seat of ${agent}`,
                onclick: () => dialog.ask(agent),
              },
              'Release…',
            ),
          ),
        );
      }
    }
  };
  new MutationObserver(decorate).observe(rows, { childList: true });
  decorate();
}

function releaseDialog(status, released) {
  const title = el('h2', { id: 'release-title' });
  const reason = el('input', { id: 'release-reason', type: 'text', maxlength: 500, autocomplete: 'off' });
  const block = el(
    'select',
    { id: 'release-block' },
    BLOCKS.map(([value, label]) => el('option', { value }, label)),
  );
  const error = el('div', { class: 'error', role: 'alert', hidden: true });
  const confirm = el('button', { type: 'submit', class: 'primary danger', id: 'release-confirm' }, 'Release seat');
  const cancel = el('button', { type: 'button', id: 'release-cancel' }, 'Cancel');
  const form = el(
    'form',
    { method: 'dialog' },
    title,
    el(
      'p',
      {},
      'The agent loses the seat at once; the ACD is told at its next heartbeat and should log the agent out.',
    ),
    el('div', { class: 'field' }, el('label', { for: 'release-reason' }, 'Reason (optional)'), reason),
    el(
      'div',
      { class: 'field' },
      el('label', { for: 'release-block' }, 'Refuse the agent’s logins for'),
      block,
    ),
    error,
    el('div', { class: 'actions' }, confirm, cancel),
  );
  const dialog = el('dialog', { id: 'release-dialog', 'aria-labelledby': 'release-title' }, form);
  document.body.append(dialog);
  let agent = null;
  cancel.addEventListener('click', () => dialog.close());
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const body = {};
    if (reason.value.trim()) {
      body.reason = reason.value.trim();
    }
    if (block.value) {
      body.blockSeconds = Number(block.value);
    }
    confirm.disabled = true;
    try {
      const result = await api(`/api/v1/seats/${encodeURIComponent(agent)}/release`, {
        method: 'POST',
        json: body,
      });
      dialog.close();
      status.className = 'success';
      status.textContent =
        `Released the seat of ${agent}.` +
        (result.blockedUntil ? ` Its logins are refused until ${localTime(result.blockedUntil, true)}.` : '');
      status.hidden = false;
      released();
    } catch (e) {
      error.textContent = e instanceof ApiError ? e.message : 'The server could not be reached.';
      error.hidden = false;
    } finally {
      confirm.disabled = false;
    }
  });
  return {
    ask(name) {
      agent = name;
      title.textContent = `Release the seat of ${name}?`;
      reason.value = '';
      block.value = '';
      error.hidden = true;
      dialog.showModal();
      reason.focus();
    },
  };
}

function blocksSection(admin) {
  return el(
    'div',
    { id: 'blocks', class: 'spaced', hidden: true },
    el('h3', { id: 'blocks-title' }, 'Agents whose logins are refused'),
    el(
      'div',
      { class: 'table-wrap' },
      el(
        'table',
        { 'aria-labelledby': 'blocks-title' },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { scope: 'col' }, 'Agent'),
            el('th', { scope: 'col' }, 'Until'),
            el('th', { scope: 'col' }, 'Released by'),
            el('th', { scope: 'col' }, 'Reason'),
            admin ? el('th', { scope: 'col' }, el('span', { class: 'visually-hidden' }, 'Actions')) : null,
          ),
        ),
        el('tbody', { id: 'block-rows' }),
      ),
    ),
  );
}

async function refreshBlocks(admin) {
  let blocks;
  try {
    blocks = (await api('/api/v1/seat-blocks')).blocks;
  } catch {
    return;
  }
  const section = document.getElementById('blocks');
  section.hidden = blocks.length === 0;
  document.getElementById('block-rows').replaceChildren(
    ...blocks.map((block) =>
      el(
        'tr',
        { 'data-blocked': block.agentId },
        el('td', { class: 'mono' }, block.agentId),
        el('td', {}, localTime(block.blockedUntil, true)),
        el('td', {}, block.releasedBy),
        el('td', {}, block.reason || '–'),
        admin
          ? el(
              'td',
              {},
              el(
                'button',
                {
                  type: 'button',
                  class: 'small',
                  onclick: async () => {
                    await api(`/api/v1/seat-blocks/${encodeURIComponent(block.agentId)}`, { method: 'DELETE' });
                    refreshBlocks(admin);
                  },
                },
                'Lift block',
              ),
            )
          : null,
      ),
    ),
  );
}

start();
