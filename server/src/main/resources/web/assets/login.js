// The login page: signs in with user name and password, then goes where the browser came from.

import { ApiError, api, currentSession } from './api.js';

const params = new URLSearchParams(location.search);

/**
 * Where a sign-in may lead: a path of this server, never another site. The same rule as the server's
 * SameOriginPath.RULE (a test keeps the two equal): a single leading slash, then only the characters of a URL
 * path, query and fragment, so no backslash, tab or line break that a browser would turn into '//host'.
 */
const SAME_ORIGIN_PATH = new RegExp(String.raw`^/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/?#%]*$`);

/**
 * The page to go to after sign-in: the `next` of a query string when it is a path of this server, else the
 * dashboard. Exported for the browser test that feeds it the known bypasses.
 */
export function nextPage(search = location.search) {
  const next = new URLSearchParams(search).get('next') || '';
  if (next.length > 2048 || !SAME_ORIGIN_PATH.test(next) || next.startsWith('/login')) {
    return '/dashboard';
  }
  const url = new URL(next, location.origin);
  return url.origin === location.origin ? url.pathname + url.search + url.hash : '/dashboard';
}

function showError(message) {
  const error = document.getElementById('login-error');
  error.textContent = message;
  error.hidden = false;
}

async function signIn(event) {
  event.preventDefault();
  const username = document.getElementById('username').value.trim();
  const password = document.getElementById('password').value;
  document.getElementById('login-error').hidden = true;
  if (!username || !password) {
    showError('Enter your user name and password.');
    return;
  }
  const button = document.getElementById('sign-in');
  button.disabled = true;
  try {
    const session = await api('/api/v1/session', {
      method: 'POST',
      json: { username, password },
      allowUnauthenticated: true,
    });
    if (session && session.passwordChangeRequired) {
      await currentSession();
      showPasswordChange(session.user);
      return;
    }
    location.assign(nextPage());
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      showError('Wrong user name or password.');
    } else if (error instanceof ApiError && error.status === 429) {
      const seconds = error.problem.retryAfterSeconds;
      showError(`Too many failed sign-ins. Try again in ${seconds} seconds.`);
    } else {
      showError(`Signing in failed: ${error.message}`);
    }
    document.getElementById('password').select();
  } finally {
    button.disabled = false;
  }
}

/** Replaces the sign-in form by the form to change the generated password of the user. */
function showPasswordChange(user) {
  document.getElementById('login-form').hidden = true;
  document.getElementById('change-password-user').textContent = user;
  const form = document.getElementById('change-password-form');
  form.dataset.user = user;
  form.hidden = false;
  document.getElementById('new-password').focus();
}

function showChangeError(message) {
  const error = document.getElementById('change-password-error');
  error.textContent = message;
  error.hidden = false;
}

/**
 * Sets the new password, then signs in with it (setting a password ends the user's sessions) and goes on.
 */
async function changePassword(event) {
  event.preventDefault();
  const user = document.getElementById('change-password-form').dataset.user;
  const password = document.getElementById('new-password').value;
  document.getElementById('change-password-error').hidden = true;
  if (password !== document.getElementById('repeat-password').value) {
    showChangeError('The two passwords differ.');
    return;
  }
  const button = document.getElementById('change-password');
  button.disabled = true;
  try {
    await api(`/api/v1/users/${encodeURIComponent(user)}/password`, { method: 'PUT', json: { password } });
    await api('/api/v1/session', {
      method: 'POST',
      json: { username: user, password },
      allowUnauthenticated: true,
    });
    location.assign(nextPage());
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) {
      showChangeError(error.problem.detail || error.message);
    } else {
      showChangeError(`Changing the password failed: ${error.message}`);
    }
  } finally {
    button.disabled = false;
  }
}

document.getElementById('login-form').addEventListener('submit', signIn);
document.getElementById('change-password-form').addEventListener('submit', changePassword);
if (params.get('expired') === '1') {
  const notice = document.getElementById('login-notice');
  notice.textContent = 'Your session has ended. Sign in again to go on.';
  notice.hidden = false;
}
currentSession()
  .then((session) => {
    if (session && session.passwordChangeRequired) {
      showPasswordChange(session.user);
    } else if (session) {
      location.replace(nextPage());
    }
  })
  .catch(() => {});
