// Calls to the license server's API with the session cookie; writes carry the session's CSRF token.

let csrfToken = null;

/** An answer that is not 2xx: status and the problem (RFC 9457) or text the server sent. */
export class ApiError extends Error {
  constructor(status, problem) {
    super((problem && problem.detail) || `request failed with status ${status}`);
    this.status = status;
    this.problem = problem || {};
  }

  /** The last segment of the problem type, e.g. "license-key-rejected". */
  get type() {
    const type = this.problem.type || '';
    return type.substring(type.lastIndexOf('/') + 1);
  }
}

/** Sends the browser to the login page, to come back here after signing in. */
export function goToLogin(expired) {
  const params = new URLSearchParams({ next: location.pathname + location.hash });
  if (expired) {
    params.set('expired', '1');
  }
  location.assign('/login?' + params.toString());
}

/** Who is signed in, or null when nobody is; remembers the CSRF token for writes. */
export async function currentSession() {
  const response = await fetch('/api/v1/session', {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
    cache: 'no-store',
  });
  if (response.status === 401) {
    return null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, await body(response));
  }
  const session = await response.json();
  csrfToken = session.csrfToken || null;
  return session;
}

/**
 * Calls the API. Options: method, json (a value sent as JSON), text (sent as text/plain).
 * A 401 sends the browser to the login page; any other error is thrown as an ApiError.
 */
export async function api(path, options = {}) {
  const method = options.method || 'GET';
  const headers = { Accept: 'application/json' };
  let payload;
  if (options.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(options.json);
  } else if (options.text !== undefined) {
    headers['Content-Type'] = 'text/plain';
    payload = options.text;
  }
  if (method !== 'GET' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  const response = await fetch(path, {
    method,
    headers,
    body: payload,
    credentials: 'same-origin',
    cache: 'no-store',
  });
  if (response.status === 401 && !options.allowUnauthenticated) {
    goToLogin(true);
    throw new ApiError(401, await body(response));
  }
  if (response.status === 204) {
    return null;
  }
  const data = await body(response);
  if (!response.ok) {
    throw new ApiError(response.status, data);
  }
  return data;
}

async function body(response) {
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      return await response.json();
    } catch {
      return {};
    }
  }
  const text = await response.text();
  return text ? { detail: text } : {};
}
