// A React-rendered preview without a CMS (tests/browser/widget-react.test.mjs):
// a textarea, and an article React renders again from it on every input event
// (the title, then paragraphs; **bold** as <strong>). The preview attaches the
// widget the way a React integration would: in an effect, on its own element,
// with detach() in the cleanup. `?renderer=mark` asks for marks, which the widget
// must refuse on a root React renders.
import { createElement as h, useEffect, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';

const WIDGET = '/widget/sorot-widget.js'; // the staged widget, served next to the app
const renderer = new URLSearchParams(location.search).get('renderer') ?? undefined;

/** A paragraph's text with **bold** runs as <strong> elements. */
function inline(text) {
  return text.split(/(\*\*[^*]+\*\*)/).filter(Boolean)
    .map((part, i) => (part.startsWith('**') && part.endsWith('**') ? h('strong', { key: i }, part.slice(2, -2)) : part));
}

function Preview({ text }) {
  const ref = useRef(null);
  useEffect(() => {
    const root = ref.current;
    let detach = null;
    let cancelled = false;
    import(/* @vite-ignore */ WIDGET).then((widget) => {
      if (cancelled) return;
      detach = () => widget.detach(root);
      widget.attach(root, { panel: true, lang: 'en', renderer }).then((hl) => { window.previewRenderer = hl.renderer; },
        (err) => console.error(`preview: ${err.message}`));
    });
    return () => { cancelled = true; detach?.(); };
  }, []);
  const [title = '', ...paragraphs] = text.split(/\n\s*\n/);
  return h('article', { ref, id: 'preview' },
    h('h1', null, title.replace(/^#\s*/, '')),
    ...paragraphs.map((p, i) => h('p', { key: i }, ...inline(p))));
}

function App() {
  const [text, setText] = useState('# Lavrov di Moskow\n\nMenteri Luar Negeri Rusia **Sergey Lavrov** bertemu Kim Jong Un.');
  return h('main', null,
    h('textarea', { id: 'source', rows: 8, cols: 60, value: text, onChange: (e) => setText(e.target.value) }),
    h(Preview, { text }));
}

createRoot(document.getElementById('app')).render(h(App));
