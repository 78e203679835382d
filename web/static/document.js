// Source view: show the document's exact extracted text and highlight the cited range (#c=start-end).
// Offsets count Unicode code points, as the server does; the page converts them to UTF-16 positions.
(function () {
  "use strict";
  const pre = document.getElementById("doc-text");

  function unitsAt(text, codePoints) {
    let units = 0;
    let seen = 0;
    for (const ch of text) {
      if (seen === codePoints) break;
      units += ch.length;
      seen += 1;
    }
    return units;
  }

  // Paged documents (PDF): say which page the quote is on. data-pages holds each page's start offset.
  const pages = (pre.dataset.pages || "").split(",").filter(Boolean).map(Number);
  const pageLine = document.getElementById("cited-page");

  function showPage(offset) {
    if (!pages.length || !pageLine) return;
    let page = 0;
    while (page < pages.length && pages[page] <= offset) page += 1;
    pageLine.textContent = "The quote is on page " + page + " of " + pages.length + ".";
    pageLine.hidden = false;
  }

  function highlight() {
    const old = pre.querySelector("mark");
    if (old) {
      old.replaceWith(...old.childNodes);
      pre.normalize();
    }
    const m = /^#c=(\d+)-(\d+)$/.exec(window.location.hash);
    if (!m || !pre.firstChild) return;
    const text = pre.textContent;
    const start = unitsAt(text, Number(m[1]));
    const end = unitsAt(text, Number(m[2]));
    if (end <= start) return;
    const range = document.createRange();
    range.setStart(pre.firstChild, start);
    range.setEnd(pre.firstChild, end);
    const mark = document.createElement("mark");
    mark.id = "cited";
    mark.tabIndex = -1;
    range.surroundContents(mark);
    showPage(Number(m[1]));
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
  }

  // The HTML parser may alter line breaks; the plain-text endpoint gives the exact text offsets refer to.
  const url = window.location.pathname + "?format=text";
  fetch(url, { credentials: "same-origin" })
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error(String(r.status)))))
    .then((text) => {
      pre.textContent = text;
      highlight();
    })
    .catch(() => highlight());
  window.addEventListener("hashchange", highlight);
})();
