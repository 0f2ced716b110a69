#!/usr/bin/env python3
"""Visible text of saved HTML pages, for reviewing the default gazetteer on real pages.

    python3 scripts/gazetteer/page_text.py OUT_DIR PAGE.html...

writes OUT_DIR/NAME.txt for each page: the text the highlighter would see, one block
per paragraph, blocks separated by an empty line (so `sorot find` never matches
across a block boundary, as in the browser). It follows www/collect.js: the same
skipped elements and the same block elements. Standard library only.
"""

import html.parser
import os
import re
import sys

# The same sets as www/collect.js.
SKIPPED = {
    "script", "style", "noscript", "template", "textarea", "input", "select", "option",
    "optgroup", "datalist", "button", "iframe", "object", "embed", "canvas", "video",
    "audio", "svg", "math", "head", "title", "meta", "link",
}
BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
    "details", "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure",
    "footer", "form", "frameset", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
    "hr", "html", "legend", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext",
    "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    "xmp", "br", "img", "picture", "col", "colgroup",
}
# Elements without an end tag.
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
    "source", "track", "wbr",
}


class Collector(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks = []
        self.current = []
        self.skip_depth = 0
        self.stack = []

    def flush(self):
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()
        if tag in VOID:
            return
        if tag in SKIPPED:
            self.skip_depth += 1
        self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag in BLOCKS:
            self.flush()

    def handle_endtag(self, tag):
        if tag in VOID or tag not in self.stack:
            return
        # Close everything opened after the matching start tag (lenient HTML).
        while self.stack:
            top = self.stack.pop()
            if top in SKIPPED:
                self.skip_depth -= 1
            if top == tag:
                break
        if tag in BLOCKS:
            self.flush()

    def handle_data(self, data):
        if self.skip_depth == 0:
            self.current.append(data)


def page_text(path):
    with open(path, "rb") as f:
        raw = f.read()
    text = raw.decode("utf-8", errors="replace")
    c = Collector()
    c.feed(text)
    c.close()
    c.flush()
    return "\n\n".join(c.blocks) + "\n"


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    for path in argv[2:]:
        name = os.path.splitext(os.path.basename(path))[0]
        with open(os.path.join(out, name + ".txt"), "w", encoding="utf-8") as f:
            f.write(page_text(path))


if __name__ == "__main__":
    main(sys.argv)
