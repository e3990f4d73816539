// Formatting of times, numbers and text for the pages. Everything shown comes from the API; nothing is
// inserted as HTML, so these return text for textContent.

const numberFormat = new Intl.NumberFormat(undefined);

/** A whole number with grouping, e.g. 10,000. */
export function count(value) {
  return value === null || value === undefined ? '–' : numberFormat.format(value);
}

/**
 * A license time as the API gives it, "2027-12-01T00:00:00+01:00[Europe/Berlin]", shown in its own zone
 * with the zone named: "1 Dec 2027, 00:00 (Europe/Berlin)".
 */
export function zonedTime(text) {
  if (!text) {
    return '–';
  }
  const match = /^(.*?)(?:\[(.+)\])?$/.exec(text);
  const instant = new Date(match[1]);
  const zone = match[2];
  if (Number.isNaN(instant.getTime())) {
    return text;
  }
  try {
    const shown = new Intl.DateTimeFormat(undefined, {
      dateStyle: 'medium',
      timeStyle: 'short',
      hourCycle: 'h23',
      timeZone: zone || undefined,
    }).format(instant);
    return zone ? `${shown} (${zone})` : shown;
  } catch {
    return text;
  }
}

/** An instant ("2027-01-15T09:00:00Z") in the browser's zone, with seconds when asked. */
export function localTime(text, withSeconds) {
  if (!text) {
    return '–';
  }
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) {
    return text;
  }
  return new Intl.DateTimeFormat(undefined, {
    dateStyle: 'medium',
    timeStyle: withSeconds ? 'medium' : 'short',
    hourCycle: 'h23',
  }).format(instant);
}

/** The time of day of an instant, e.g. "14:05:09". */
export function clockTime(text) {
  const instant = new Date(text);
  if (Number.isNaN(instant.getTime())) {
    return text || '–';
  }
  return new Intl.DateTimeFormat(undefined, { timeStyle: 'medium', hourCycle: 'h23' }).format(instant);
}

/** A chart's time axis label: "14:05", or "15 Jan" at midnight. */
export function axisTime(seconds) {
  const instant = new Date(seconds * 1000);
  if (instant.getHours() === 0 && instant.getMinutes() === 0) {
    return new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short' }).format(instant);
  }
  return new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
}

/** How long ago an instant was, relative to now: "just now", "4 min", "2 h 5 min", "3 d 2 h". */
export function since(text, now = Date.now()) {
  const then = new Date(text).getTime();
  if (Number.isNaN(then)) {
    return '–';
  }
  const seconds = Math.max(0, Math.round((now - then) / 1000));
  if (seconds < 60) {
    return seconds < 10 ? 'just now' : `${seconds} s ago`;
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ago`;
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    return `${hours} h ${minutes % 60} min ago`;
  }
  const days = Math.floor(hours / 24);
  return `${days} d ${hours % 24} h ago`;
}

/** "in 1 day" / "in 5 days". */
export function days(value) {
  return value === 1 ? '1 day' : `${value} days`;
}

/** The role as people say it. */
export function roleName(role) {
  return { ADMIN: 'Administrator', SUPERVISOR: 'Supervisor', ACD: 'ACD node' }[role] || role;
}

/** Creates an element with attributes and children (strings become text nodes). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }
    if (name === 'class') {
      element.className = value;
    } else if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.substring(2), value);
    } else if (value === true) {
      element.setAttribute(name, '');
    } else {
      element.setAttribute(name, String(value));
    }
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) {
      continue;
    }
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}
