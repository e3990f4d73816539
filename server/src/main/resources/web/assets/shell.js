// The frame around every signed-in page: who is signed in, navigation by role, signing out, and the banner
// that says what the license state means and what happens next.

import { api, currentSession, goToLogin } from './api.js';
import { el, roleName } from './format.js';

/**
 * Checks the session (a browser that is not signed in goes to the login page), fills the header for the
 * role and wires signing out. Returns the session.
 */
export async function startShell() {
  let session;
  try {
    session = await currentSession();
  } catch (error) {
    document.getElementById('main').replaceChildren(
      el('p', { class: 'error', role: 'alert' }, `The server did not answer: ${error.message}`),
    );
    throw error;
  }
  if (!session || session.passwordChangeRequired) {
    // A user who must change the generated password first does that on the login page.
    goToLogin(false);
    throw new Error(session ? 'password change required' : 'not signed in');
  }
  document.getElementById('user-name').textContent = `${session.user} (${roleName(session.role)})`;
  const adminLink = document.getElementById('nav-admin');
  adminLink.hidden = session.role !== 'ADMIN';
  document.getElementById('app-nav').hidden = false;
  document.getElementById('user-box').hidden = false;
  document.getElementById('sign-out').addEventListener('click', signOut);
  await showTrustBanner();
  return session;
}

/**
 * On development trust, a banner above every signed-in page says that license keys signed with keys other than
 * the vendor's are accepted: this installation is for development or evaluation only.
 */
async function showTrustBanner() {
  let status;
  try {
    status = await api('/api/v1/license');
  } catch (error) {
    return; // the page itself reports a server that does not answer
  }
  const trust = status.trust;
  if (!trust || trust.mode !== 'DEVELOPMENT') {
    return;
  }
  const keys = trust.keys.filter((key) => key.source === 'DEVELOPMENT').map((key) => key.keyId);
  const banner = el(
    'div',
    { id: 'trust-banner', class: 'banner banner-bad trust-banner', role: 'alert', 'data-mode': trust.mode },
    el(
      'div',
      { class: 'banner-body' },
      el('strong', {}, 'Development trust — not for production'),
      el(
        'p',
        {},
        `This server accepts license keys signed with ${keys.join(', ')}, besides the vendor's keys. ` +
          'Use it for development or evaluation only.',
      ),
    ),
  );
  const main = document.getElementById('main');
  main.insertBefore(banner, main.firstChild);
}

async function signOut() {
  try {
    await api('/api/v1/session', { method: 'DELETE' });
  } finally {
    location.assign('/login');
  }
}

const BANNERS = {
  UNLICENSED: { kind: 'banner-neutral', title: 'No license applied — demo mode' },
  PENDING: { kind: 'banner-info', title: 'License not started yet — demo mode until it starts' },
  GRACE: { kind: 'banner-warn', title: 'License expired — grace period' },
  DEMO: { kind: 'banner-bad', title: 'Grace period over — demo mode' },
  ACTIVE: { kind: 'banner-warn', title: 'License expires soon' },
};

/**
 * Shows the license state banner in the element with the given ID: the server's warnings, which say what
 * happens next and when; hidden in ACTIVE without a warning. `action` is an optional link element.
 */
export function renderStateBanner(id, status, action) {
  const banner = document.getElementById(id);
  const warnings = status.warnings || [];
  if (warnings.length === 0) {
    banner.hidden = true;
    banner.replaceChildren();
    return;
  }
  const look = BANNERS[status.state] || BANNERS.ACTIVE;
  banner.className = `banner ${look.kind}`;
  banner.setAttribute('role', status.state === 'DEMO' || status.state === 'GRACE' ? 'alert' : 'status');
  banner.dataset.state = status.state;
  banner.replaceChildren(
    el(
      'div',
      { class: 'banner-body' },
      el('strong', {}, look.title),
      ...warnings.map((warning) => el('p', { 'data-code': warning.code }, warning.message)),
    ),
    action || '',
  );
  banner.hidden = false;
}

/** A state badge: ACTIVE, GRACE, DEMO, PENDING or UNLICENSED. */
export function stateBadge(state) {
  return el('span', { class: `badge state-${state}`, 'data-state': state }, state);
}
