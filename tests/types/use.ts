// Uses the whole public API as a TypeScript project would, with --strict. Rows
// marked @ts-expect-error are misuse the types must refuse: if a declaration
// degrades to `any`, those rows stop being errors and tsc fails.
import { createHighlighter, DEFAULT_GAZETTEER_URL, Highlight, Highlighter } from 'sorot';
import { createHighlighter as createDomHighlighter, RemoteEngine, decodeMatches } from 'sorot/dom';
import { loadEngine, serveEngine } from 'sorot/engine';

async function page(): Promise<void> {
  const hl: Highlighter = await createHighlighter({
    gazetteer: [{ url: DEFAULT_GAZETTEER_URL }, { entities: [{ id: 'x', name: 'X', type: 'PER', description: { id: 'Orang', en: 'Person' } }] }],
    prefix: 'mine',
    cards: true,
    keyboard: false,
    renderer: 'auto',
    worker: true,
    cache: true,
    assets: new URL('https://cdn.example/sorot/'),
  });
  const found = await hl.find('Kim Jong Un', { overlap: 'all' });
  const first = found[0];
  const offsets: [number, number] = [first.start, first.end];
  const reason: 'only' | 'mentioned' | 'priority' | 'order' = first.reason;
  const candidates: string[] = first.candidates;
  const h: Highlight = await hl.highlight(document.body, {
    renderer: 'mark', overlap: 'longest', exclude: ['nav', 'footer'], observe: true, frames: false,
    onUpdate: (x) => { const n: number = x.matches.length; void n; },
    onError: (e) => console.warn(e.message),
  });
  const drawnWith: 'highlight-api' | 'mark' = h.renderer;
  const counts: Record<string, number> = h.counts;
  for (const e of h.entities()) {
    const line: string = `${e.name} (${e.typeLabel}): ${e.mentions}${e.ambiguous ? ' ?' : ''}`;
    void line;
    h.reveal(e);
  }
  h.reveal(h.matches[0]);
  const ranges: Range[] | undefined = h.matches[0].ranges;
  h.setTypeVisible('PER', false);
  await h.idle();
  const stats = h.lastUpdate;
  if (stats) { const n: number = stats.blocks + stats.scanned; void n; }
  const label: string = hl.typeLabel('PER', 'en') + h.types.PER.label + hl.title('x', h.lang)
    + hl.titleList(first.candidates, 'id', 3) + hl.titleList(h.entities()[0].candidates);
  const entityId: string = hl.entity(found[0].id)?.id ?? String(hl.entityCount);
  h.remove();
  hl.free();
  void [offsets, reason, candidates, drawnWith, counts, ranges, label, entityId];

  // @ts-expect-error ids are strings
  hl.titleList([1, 2]);
  // @ts-expect-error a misspelt option
  await createHighlighter({ gazeteer: {} });
  // @ts-expect-error a renderer that does not exist
  await createHighlighter({ renderer: 'canvas' });
  // @ts-expect-error a number where a string goes
  await createHighlighter({ prefix: 5 });
  // @ts-expect-error worker is a boolean
  await createHighlighter({ worker: 'yes' });
  // @ts-expect-error cache is a boolean
  await createHighlighter({ cache: 1 });
  // @ts-expect-error a misspelt highlight option
  await hl.highlight(document.body, { obsreve: true });
  // @ts-expect-error overlap is longest or all
  await hl.highlight(document.body, { overlap: 'some' });
  // @ts-expect-error find takes a string
  await hl.find(42);
  // @ts-expect-error a gazetteer entity needs an id
  await createHighlighter({ gazetteer: { entities: [{ name: 'X', type: 'PER' }] } });
  // @ts-expect-error highlight takes a node
  await hl.highlight('body');
  // @ts-expect-error matches are not numbers
  const wrong: number = found[0];
  void wrong;
}

async function contentScript(port: MessagePort): Promise<void> {
  const hl = await createDomHighlighter({ port: () => port, prefix: 'ext' });
  const h = await hl.highlight(document, { renderer: 'highlight-api' });
  h.remove();
  const remote = new RemoteEngine(port, { timeout: 1000 });
  const viaEngine = await createDomHighlighter({ engine: remote });
  viaEngine.free();
  // @ts-expect-error the DOM layer loads no gazetteer itself
  await createDomHighlighter({ port, gazetteer: {} });
  const matches = decodeMatches(new Uint32Array([0, 3, 0, 0, 1, 0]), 'Kim', [{ id: 'k', type: 'PER', name: 'Kim' }]);
  const id: string = matches[0].id;
  void id;
}

async function serviceWorker(port: MessagePort): Promise<void> {
  const engine = await loadEngine({ gazetteer: 'id\ttype\tname\nx\tPER\tX\n' });
  const flat: Uint32Array = await engine.find('X', { overlap: 'longest' });
  void flat;
  const server = serveEngine(port, { engine });
  server.close();
  // @ts-expect-error engines take text
  await engine.find(['X']);
}

void [page, contentScript, serviceWorker];
