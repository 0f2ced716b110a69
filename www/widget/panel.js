// The editor's panel: one per document, docked in a corner, in a shadow root (the
// page's CSS cannot reach it; its style sheet is constructed, so no CSP rule
// blocks it). It lists what the widget's roots with `panel` on found: counts per
// type, the entities with their mentions (ambiguous ones with their candidates;
// a click scrolls to the first mention and shows its card), "copy list" and
// "copy JSON", and what went wrong. Built with createElement/textContent only.
// On a narrow screen it starts collapsed to a small button and, opened, covers at
// most the bottom third of the screen.

const CSS = `
:host { all: initial !important; position: fixed !important; right: 12px !important; bottom: 12px !important;
  z-index: 2147483646 !important; display: block !important; }
.panel { box-sizing: border-box; width: min(21rem, calc(100vw - 24px)); max-height: min(60vh, 30rem);
  display: flex; flex-direction: column; background: var(--sorot-panel-bg, #fff); color: var(--sorot-panel-fg, #1b1b1b);
  border: 1px solid var(--sorot-panel-border, #c8c8c8); border-radius: 10px; box-shadow: 0 6px 24px rgba(0,0,0,.18);
  font: 13px/1.4 var(--sorot-font, system-ui, sans-serif); overflow: hidden; }
.panel.collapsed { width: auto; border-radius: 999px; }
.collapsed .body { display: none; }
button { font: inherit; color: inherit; background: none; border: 0; margin: 0; cursor: pointer; text-align: left; }
button:focus-visible { outline: 2px solid var(--sorot-panel-accent, #1a73e8); outline-offset: -2px; }
.toggle { display: flex; align-items: center; gap: 6px; width: 100%; padding: 8px 12px; font-weight: 600; }
.collapsed .toggle { padding: 8px 14px; }
.toggle .n { margin-left: auto; font-weight: 400; opacity: .75; }
.body { display: flex; flex-direction: column; min-height: 0; border-top: 1px solid var(--sorot-panel-border, #c8c8c8); }
.counts { display: flex; flex-wrap: wrap; gap: 4px 12px; padding: 6px 12px; margin: 0; list-style: none; }
.counts li { display: flex; align-items: center; gap: 4px; }
.sw { flex: none; width: 10px; height: 10px; border-radius: 2px; border: 1px solid rgba(0,0,0,.25); }
.list { flex: 1 1 auto; min-height: 2.5em; overflow: auto; margin: 0; padding: 0 0 4px; list-style: none; }
.list button { display: flex; align-items: baseline; gap: 6px; width: 100%; padding: 4px 12px; }
.list button:hover { background: rgba(0,0,0,.06); }
.name { font-weight: 600; overflow-wrap: anywhere; }
.type, .m { font-size: 12px; opacity: .75; white-space: nowrap; }
.m { margin-left: auto; }
.amb { padding: 0 12px 4px 28px; font-size: 12px; opacity: .8; }
.q { font-size: 11px; padding: 0 4px; border-radius: 3px; background: var(--sorot-panel-accent, #1a73e8); color: #fff; }
.empty, .msg { padding: 6px 12px; }
.msg { color: var(--sorot-panel-error, #b3261e); white-space: pre-wrap; overflow-wrap: anywhere;
  max-height: 8em; overflow-y: auto; flex: none; }
.note { padding: 6px 12px; font-size: 12px; opacity: .85; }
.actions { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; padding: 6px 12px 8px;
  border-top: 1px solid var(--sorot-panel-border, #c8c8c8); }
.actions button { padding: 3px 8px; border: 1px solid var(--sorot-panel-border, #c8c8c8); border-radius: 6px; }
.status { font-size: 12px; opacity: .8; }
@media (max-width: 600px) {
  :host { left: 0 !important; right: 0 !important; bottom: 0 !important; }
  :host(.collapsed) { left: auto !important; right: 10px !important; bottom: 10px !important; }
  .panel { width: 100%; max-height: 33.3vh; border-radius: 10px 10px 0 0; }
  .panel.collapsed { border-radius: 999px; }
}
`;

const TEXT = {
  en: {
    title: 'Entities', show: 'Show the entities', hide: 'Hide the entities', none: 'No entities found yet.',
    list: 'Copy list', json: 'Copy JSON', copied: 'Copied.', failed: 'Could not copy.', also: 'Could also be',
    ambiguous: 'ambiguous', mentions: (n) => `${n}×`, region: 'Entities found by sorot',
  },
  id: {
    title: 'Entitas', show: 'Tampilkan entitas', hide: 'Sembunyikan entitas', none: 'Belum ada entitas.',
    list: 'Salin daftar', json: 'Salin JSON', copied: 'Tersalin.', failed: 'Tidak bisa menyalin.', also: 'Bisa juga',
    ambiguous: 'ambigu', mentions: (n) => `${n}×`, region: 'Entitas yang ditemukan sorot',
  },
};

const panels = new WeakMap(); // Document → Panel

/** The panel of one document. */
export class Panel {
  /**
   * The document's panel (made on first use).
   * @param {Document} doc
   * @returns {Panel}
   */
  static for(doc) {
    let panel = panels.get(doc);
    if (!panel) panels.set(doc, (panel = new Panel(doc)));
    return panel;
  }

  #sessions = new Set();
  #frame = 0;
  #drawn = ''; // what the last draw showed, to skip a draw that would change nothing
  #say = TEXT.en;

  constructor(doc) {
    this.doc = doc;
    const el = (tag, cls, text) => {
      const e = doc.createElement(tag);
      if (cls) e.className = cls;
      if (text !== undefined) e.textContent = text;
      return e;
    };
    this.el = el;
    this.host = el('div');
    this.host.setAttribute('data-sorot-owner', 'widget-panel');
    const shadow = this.host.attachShadow({ mode: 'open' });
    const view = doc.defaultView;
    const sheet = new view.CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet];
    this.box = el('div', 'panel');
    this.box.setAttribute('role', 'region');
    this.toggle = el('button', 'toggle');
    this.toggle.type = 'button';
    this.label = el('span', '', 'sorot');
    this.total = el('span', 'n');
    this.toggle.append(this.label, this.total);
    this.body = el('div', 'body');
    this.body.id = 'body';
    this.toggle.setAttribute('aria-controls', 'body');
    this.messages = el('div');
    this.messages.setAttribute('role', 'status');
    this.counts = el('ul', 'counts');
    this.list = el('ul', 'list');
    const actions = el('div', 'actions');
    this.copyList = el('button');
    this.copyJson = el('button');
    this.copyList.type = this.copyJson.type = 'button';
    this.status = el('span', 'status');
    this.status.setAttribute('aria-live', 'polite');
    actions.append(this.copyList, this.copyJson, this.status);
    this.body.append(this.messages, this.counts, this.list, actions);
    this.box.append(this.toggle, this.body);
    shadow.append(this.box);
    this.toggle.addEventListener('click', () => this.#setCollapsed(!this.collapsed));
    this.copyList.addEventListener('click', () => this.#copy(this.#listText()));
    this.copyJson.addEventListener('click', () => this.#copy(JSON.stringify(this.#entities().map(({ reveal, color, ...e }) => e), null, 2)));
    this.#setCollapsed(Boolean(view.matchMedia?.('(max-width: 600px)').matches));
  }

  /** Whether only the button shows. */
  get collapsed() {
    return this.box.classList.contains('collapsed');
  }

  #setCollapsed(collapsed) {
    this.box.classList.toggle('collapsed', collapsed);
    this.host.classList.toggle('collapsed', collapsed);
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
    this.toggle.title = collapsed ? this.#say.show : this.#say.hide;
  }

  /** @param {object} session a widget session (widget.js) */
  add(session) {
    this.#sessions.add(session);
    if (!this.host.isConnected) this.doc.documentElement.append(this.host);
    this.update();
  }

  /** @param {object} session */
  remove(session) {
    this.#sessions.delete(session);
    if (this.#sessions.size > 0) {
      this.update();
      return;
    }
    if (this.#frame) this.doc.defaultView?.cancelAnimationFrame(this.#frame);
    this.#frame = 0;
    this.host.remove();
    panels.delete(this.doc);
  }

  /** Draws the panel again in the next frame (once however many updates come). */
  update() {
    const view = this.doc.defaultView;
    if (this.#frame || !view) return;
    this.#frame = view.requestAnimationFrame(() => {
      this.#frame = 0;
      this.#draw();
    });
  }

  /** The entities of every root, merged by id, in the order of first mention. */
  #entities() {
    const byId = new Map();
    for (const s of this.#sessions) {
      const { h, hl } = s;
      if (!h || !hl) continue;
      for (const e of h.entities()) {
        if (!s.shown(e.type)) continue;
        const have = byId.get(e.id);
        if (have) {
          have.mentions += e.mentions;
          continue;
        }
        const info = hl.cardInfo(e.first, h.lang);
        byId.set(e.id, {
          id: e.id, name: e.label, type: e.type, typeLabel: e.typeLabel, mentions: e.mentions,
          url: info.url ?? null, description: info.description ?? null, ambiguous: e.ambiguous,
          candidates: e.candidates.map((id) => hl.title(id, h.lang)), also: hl.titleList(e.candidates, h.lang),
          color: info.color,
          reveal: () => h.reveal(e),
        });
      }
    }
    return [...byId.values()];
  }

  #listText() {
    return this.#entities().map((e) => [e.name, e.typeLabel, e.url].filter(Boolean).join('\t')).join('\n');
  }

  async #copy(text) {
    const view = this.doc.defaultView;
    let ok = false;
    try {
      await view.navigator.clipboard.writeText(text);
      ok = true;
    } catch {
      // No clipboard API here (an insecure page, a frame without the permission): the old way.
      const area = this.el('textarea');
      area.value = text;
      this.body.append(area);
      area.select();
      try {
        ok = this.doc.execCommand('copy');
      } catch {
        ok = false;
      }
      area.remove();
    }
    this.status.textContent = ok ? this.#say.copied : this.#say.failed;
  }

  #draw() {
    const { el } = this;
    const sessions = [...this.#sessions];
    const lang = sessions.find((s) => s.h)?.h.lang ?? sessions[0]?.settings.lang ?? this.doc.documentElement.lang;
    const p = (lang || '').split('-')[0].toLowerCase();
    const say = (this.#say = p === 'id' || p === 'ms' ? TEXT.id : TEXT.en);
    this.box.setAttribute('aria-label', say.region);
    this.box.lang = say === TEXT.id ? 'id' : 'en';
    this.label.textContent = `sorot · ${say.title}`;
    this.toggle.title = this.collapsed ? say.show : say.hide;
    this.copyList.textContent = say.list;
    this.copyJson.textContent = say.json;
    const entities = this.#entities();
    // Counts per type, in gazetteer order.
    const counts = new Map();
    let total = 0;
    for (const s of sessions) {
      if (!s.h) continue;
      const inRoot = new Map(Object.entries(s.h.counts)); // a type key may be `constructor`
      for (const [key, t] of Object.entries(s.h.types)) {
        const n = s.shown(key) ? inRoot.get(key) ?? 0 : 0;
        if (!n) continue;
        const c = counts.get(key) ?? { ...t, key, n: 0 };
        c.n += n;
        total += n;
        counts.set(key, c);
      }
    }
    const messages = sessions.flatMap((s) => [...s.errors.map((m) => ['msg', m]), ...s.notes.map((m) => ['note', m])]);
    // Most updates while an editor types change no entity: nothing to draw then.
    const signature = JSON.stringify([say === TEXT.id, [...counts.values()].map((c) => [c.key, c.label, c.n]), messages,
      entities.map((e) => [e.id, e.name, e.typeLabel, e.mentions, e.ambiguous, e.candidates]), sessions.some((s) => s.h)]);
    if (signature === this.#drawn) return;
    this.#drawn = signature;
    this.total.textContent = String(total);
    // The type's colour: the page's --sorot-color-TYPE where it sets one, else the gazetteer's.
    const swatch = (color, type) => {
      const sw = el('span', 'sw');
      if (/^#[0-9a-f]{6}([0-9a-f]{2})?$/i.test(color ?? '') && /^[A-Za-z_][A-Za-z0-9_-]*$/.test(type)) {
        sw.style.backgroundColor = `var(--sorot-color-${type}, ${color})`;
      }
      return sw;
    };
    this.counts.replaceChildren(...[...counts.values()].map((c) => {
      const li = el('li');
      li.append(swatch(c.color, c.key), el('span', '', c.label), el('b', '', String(c.n)));
      return li;
    }));
    this.messages.replaceChildren(...messages.map(([cls, m]) => {
      const box = el('div', cls, m);
      // A long report (a gazetteer with many problems) scrolls in its box: the keyboard can reach it.
      if (cls === 'msg' && m.includes('\n')) box.tabIndex = 0;
      return box;
    }));
    const items = entities.map((e) => {
      const li = el('li');
      const b = el('button');
      b.type = 'button';
      b.append(swatch(e.color, e.type), el('span', 'name', e.name), el('span', 'type', e.typeLabel));
      if (e.ambiguous) b.append(el('span', 'q', say.ambiguous));
      b.append(el('span', 'm', say.mentions(e.mentions)));
      // The entity as it is when clicked (its first mention may have moved since this draw).
      b.addEventListener('click', () => this.#entities().find((x) => x.id === e.id)?.reveal());
      li.append(b);
      if (e.ambiguous && e.candidates.length > 0) li.append(el('div', 'amb', `${say.also}: ${e.also}`));
      li.dataset.id = e.id;
      return li;
    });
    // Keep keyboard focus on the entity it was on.
    const focused = this.host.shadowRoot.activeElement?.closest?.('li')?.dataset.id;
    if (items.length === 0 && sessions.some((s) => s.h)) items.push(el('li', 'empty', say.none));
    this.list.replaceChildren(...items);
    if (focused) items.find((li) => li.dataset.id === focused)?.querySelector('button')?.focus({ preventScroll: true });
  }
}
