// The list of logged-in agents: all leases held in memory by agent ID, filtered, sorted and shown one page
// at a time, so that 10,000 agents cost one fetch and a page of rows in the document. Live changes from the
// event stream are applied by agent ID and the page is drawn again at most once a frame.

import { count, el, localTime, since } from './format.js';

const PAGE_SIZE = 50;

export class AgentList {
  constructor(elements) {
    this.elements = elements;
    this.leases = new Map();
    this.page = 0;
    this.query = '';
    this.order = 'newest';
    this.view = null;
    this.frame = 0;
    elements.search.addEventListener('input', () => {
      this.query = elements.search.value.trim().toLowerCase();
      this.page = 0;
      this.changed();
    });
    elements.sort.addEventListener('change', () => {
      this.order = elements.sort.value;
      this.page = 0;
      this.changed();
    });
    elements.previous.addEventListener('click', () => this.turn(-1));
    elements.next.addEventListener('click', () => this.turn(1));
  }

  /** Replaces every lease with those fetched from /api/v1/seats. */
  replaceAll(leases) {
    this.leases = new Map(leases.map((lease) => [lease.agentId, lease]));
    this.changed();
  }

  /** Applies the changes of one `leases` event, in order. */
  apply(changes) {
    for (const change of changes) {
      if (change.change === 'claimed') {
        this.leases.set(change.agentId, change);
      } else if (change.change === 'released') {
        this.leases.delete(change.agentId);
      }
    }
    this.changed();
  }

  changed() {
    this.view = null;
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.render();
      });
    }
  }

  turn(step) {
    this.page += step;
    this.render();
  }

  filtered() {
    if (this.view) {
      return this.view;
    }
    let rows = Array.from(this.leases.values());
    if (this.query) {
      const query = this.query;
      rows = rows.filter(
        (lease) =>
          lease.agentId.toLowerCase().includes(query) ||
          (lease.node || '').toLowerCase().includes(query) ||
          (lease.station || '').toLowerCase().includes(query),
      );
    }
    if (this.order === 'agent') {
      rows.sort((a, b) => a.agentId.localeCompare(b.agentId, undefined, { numeric: true }));
    } else {
      const direction = this.order === 'newest' ? -1 : 1;
      rows.sort((a, b) => direction * (Date.parse(a.claimedAt) - Date.parse(b.claimedAt)));
    }
    this.view = rows;
    return rows;
  }

  render() {
    const rows = this.filtered();
    const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
    this.page = Math.min(Math.max(0, this.page), pages - 1);
    const first = this.page * PAGE_SIZE;
    const shown = rows.slice(first, first + PAGE_SIZE);
    const now = Date.now();
    const { elements } = this;
    if (shown.length === 0) {
      const message = this.leases.size === 0 ? 'No agent is logged in.' : 'No agent matches the search.';
      elements.rows.replaceChildren(el('tr', {}, el('td', { colspan: 5, class: 'empty' }, message)));
    } else {
      elements.rows.replaceChildren(
        ...shown.map((lease) =>
          el(
            'tr',
            { 'data-agent': lease.agentId },
            el('td', { class: 'mono' }, lease.agentId),
            el('td', {}, lease.node || '–'),
            el('td', {}, lease.station || '–'),
            el('td', { title: localTime(lease.claimedAt, true) }, since(lease.claimedAt, now)),
            el('td', { class: 'hide-narrow' }, localTime(lease.renewedAt, true)),
          ),
        ),
      );
    }
    elements.count.textContent = `(${count(this.leases.size)})`;
    elements.range.textContent =
      rows.length === 0
        ? ''
        : `Showing ${count(first + 1)}–${count(first + shown.length)} of ${count(rows.length)}` +
          (this.query ? ` matching agents (${count(this.leases.size)} logged in)` : ' agents');
    elements.previous.disabled = this.page === 0;
    elements.next.disabled = this.page >= pages - 1;
  }
}
