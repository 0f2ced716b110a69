// The live-preview page: a CMS-like editor whose preview is rebuilt from the
// textarea on every input event (new elements each time, as a CMS's markdown
// preview does). The widget (one tag in the page's head) highlights it.

const SAMPLE = `# Lavrov bertemu Kim Jong Un di Pyongyang

Menteri Luar Negeri Rusia Sergey Lavrov tiba di Pyongyang, Korea Utara, untuk bertemu Kim Jong Un.

Kunjungan itu disorot oleh PBB dan Amerika Serikat.`;

const source = document.getElementById('source');
const preview = document.getElementById('preview');

/** Renders the markdown-ish text: `# ` and `## ` lines are headings, blank lines separate paragraphs. */
function render(text) {
  const blocks = text.split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
  preview.replaceChildren(...blocks.map((block) => {
    const heading = /^(#{1,2})\s+(.*)$/s.exec(block);
    const el = document.createElement(heading ? `h${heading[1].length + 1}` : 'p');
    el.textContent = heading ? heading[2] : block;
    return el;
  }));
}

source.value = SAMPLE;
render(source.value);
source.addEventListener('input', () => render(source.value));
