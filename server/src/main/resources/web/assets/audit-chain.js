// The audit log's hash chain in AC Admin (issue 12): a "Verify chain" button on the audit tab asks the server to
// check every entry (GET /api/v1/audit/verify) and shows whether the chain is intact, or the first entry that
// does not fit. A module of its own beside admin.js.

import { api, ApiError } from './api.js';
import { count, el } from './format.js';

function start() {
  const form = document.getElementById('audit-form');
  if (!form) {
    return;
  }
  const result = el('div', { id: 'chain-result', role: 'status', 'aria-live': 'polite', hidden: true });
  const button = el('button', { type: 'button', id: 'chain-verify' }, 'Verify chain');
  const bar = el(
    'div',
    { class: 'actions spaced' },
    button,
    el('span', { class: 'muted' }, 'Checks that no entry was changed, removed or inserted since it was written.'),
  );
  form.after(bar, result);
  button.addEventListener('click', async () => {
    button.disabled = true;
    result.hidden = false;
    result.className = 'notice';
    result.textContent = 'Checking every entry…';
    try {
      const chain = await api('/api/v1/audit/verify');
      if (chain.intact) {
        result.className = 'success';
        result.replaceChildren(
          el('p', {}, `The audit chain is intact: ${count(chain.entries)} entries checked, up to entry ${chain.lastId}.`),
          el('p', { class: 'mono' }, `Head hash ${chain.lastHash}`),
        );
      } else {
        result.className = 'error';
        result.replaceChildren(
          el('p', {}, `The audit chain is broken at entry ${chain.firstBreak.id}.`),
          el('p', {}, chain.firstBreak.problem),
        );
      }
    } catch (e) {
      result.className = 'error';
      result.textContent = e instanceof ApiError ? e.message : 'The server could not be reached.';
    } finally {
      button.disabled = false;
    }
  });
}

start();
