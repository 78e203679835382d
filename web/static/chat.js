// Chat page: asks POST /ask, renders quotes with numbered links to the source, keeps the conversation.
(function () {
  "use strict";
  const STORAGE_KEY = "assistant.conversation_id";
  const log = document.getElementById("log");
  const form = document.getElementById("ask-form");
  const input = document.getElementById("question");
  const send = document.getElementById("send");
  const hint = document.getElementById("hint");
  let conversationId = window.localStorage.getItem(STORAGE_KEY);

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function scrollToEnd() {
    window.scrollTo(0, document.body.scrollHeight);
  }

  function citationLink(c) {
    const a = el("a", "marker", "[" + c.n + "]");
    a.href = c.url;
    a.target = "_blank";
    a.rel = "noopener";
    a.title = "Open " + c.title + " at the quoted spot";
    return a;
  }

  // A quote keeps the words of the source, not its line breaks (PDF text breaks at every line end),
  // except that each item of a list starts a line of its own (the pattern of LIST_ITEM in assistant/quotes.py).
  const LIST_ITEM = /^\s*([•◦▪‣∙·*–-]|\d{1,3}[.)])\s/;

  // Starts in lower case, maybe after an opening quotation mark or bracket ("iQiyi" is a name): the sentence
  // began before.
  const CUT_START = /^\s*["“‘(]?\p{Ll}(?![\p{L}\d'’-]*\p{Lu})/u;
  const CUT_END = /[,;—–]\s*$/; // ends on a clause's punctuation: the sentence goes on

  function quoteLines(text) {
    const lines = [];
    for (const line of text.split("\n")) {
      if (!lines.length || LIST_ITEM.test(line)) lines.push(line.trim());
      else if (line.trim()) lines[lines.length - 1] += " " + line.trim();
    }
    return lines;
  }

  function renderQuestion(question) {
    if (hint && hint.isConnected) hint.remove();
    const turn = el("section", "turn");
    turn.appendChild(el("p", "question", question));
    log.appendChild(turn);
    return turn;
  }

  function renderAnswer(turn, data) {
    const box = el("div", data.answered ? "answer" : "answer abstained");
    if (!data.answered) {
      box.appendChild(el("p", "abstain", data.answer.split(" The passages below")[0]));
    }
    const cites = data.citations || [];
    if (!data.answered && cites.length) {
      box.appendChild(el("p", "closest-label", "Closest passages, but not an answer:"));
    }
    for (const c of cites) {
      const fig = el("figure", "quote");
      const bq = el("blockquote");
      const lines = quoteLines(c.quote);
      // A quote cut from inside a sentence (a clause of a long one) is marked with an ellipsis where the
      // sentence goes on; the mark is not part of the quote.
      if (CUT_START.test(c.quote)) bq.appendChild(el("span", "elision", "… "));
      lines.forEach((line, i) => {
        if (i) bq.appendChild(document.createElement("br"));
        bq.appendChild(document.createTextNode(line));
      });
      // An item of a list may end on a comma or semicolon without being cut.
      if (CUT_END.test(c.quote) && !LIST_ITEM.test(lines[lines.length - 1])) {
        bq.appendChild(el("span", "elision", " …"));
      }
      bq.appendChild(document.createTextNode(" "));
      bq.appendChild(citationLink(c));
      fig.appendChild(bq);
      fig.appendChild(el("figcaption", null, c.page ? c.title + ", page " + c.page : c.title));
      box.appendChild(fig);
    }
    if (data.query && data.query.trim() !== turn.dataset.question) {
      box.appendChild(el("p", "searched", "Searched for: " + data.query));
    }
    turn.appendChild(box);
  }

  function renderError(turn, message) {
    turn.appendChild(el("p", "error", message));
  }

  // When the server needs an API key: ask for it once, trade it for a session cookie, then carry on.
  const signIn = document.getElementById("sign-in");
  const keyInput = document.getElementById("api-key");
  const signInError = document.getElementById("sign-in-error");
  let afterSignIn = null;

  function needKey(retry) {
    afterSignIn = retry;
    signIn.hidden = false;
    keyInput.focus();
  }

  signIn.addEventListener("submit", async (event) => {
    event.preventDefault();
    signInError.hidden = true;
    try {
      const r = await fetch("/session", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify({ key: keyInput.value }),
      });
      if (!r.ok) {
        signInError.textContent = r.status === 401 ? "That is not the key." : "Sign-in failed (HTTP " + r.status + ").";
        signInError.hidden = false;
        return;
      }
      keyInput.value = "";
      signIn.hidden = true;
      const retry = afterSignIn;
      afterSignIn = null;
      if (retry) retry();
      input.focus();
    } catch (err) {
      signInError.textContent = "The assistant cannot be reached.";
      signInError.hidden = false;
    }
  });

  async function ask(question) {
    const turn = renderQuestion(question);
    turn.dataset.question = question.trim();
    const waiting = el("p", "waiting", "Searching the documents…");
    turn.appendChild(waiting);
    scrollToEnd();
    send.disabled = true;
    try {
      const body = { question: question };
      if (conversationId) body.conversation_id = conversationId;
      const r = await fetch("/ask", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        credentials: "same-origin",
        body: JSON.stringify(body),
      });
      const data = await r.json().catch(() => ({}));
      waiting.remove();
      if (r.status === 401) {
        turn.remove();
        needKey(() => ask(question));
        return;
      }
      if (r.status === 404 && conversationId) {
        // The conversation expired on the server: start a fresh one and ask again.
        conversationId = null;
        window.localStorage.removeItem(STORAGE_KEY);
        turn.remove();
        return ask(question);
      }
      if (!r.ok) {
        renderError(turn, data.detail || "The assistant could not answer (HTTP " + r.status + ").");
        return;
      }
      conversationId = data.conversation_id;
      window.localStorage.setItem(STORAGE_KEY, conversationId);
      renderAnswer(turn, data);
    } catch (err) {
      waiting.remove();
      renderError(turn, "The assistant cannot be reached. Is the server running?");
    } finally {
      send.disabled = false;
      if (signIn.hidden) input.focus(); // else the key field keeps the focus
      scrollToEnd();
    }
  }

  async function restore() {
    if (!conversationId) return;
    try {
      const r = await fetch("/conversations/" + encodeURIComponent(conversationId), { credentials: "same-origin" });
      if (r.status === 401) {
        needKey(restore);
        return;
      }
      if (!r.ok) {
        conversationId = null;
        window.localStorage.removeItem(STORAGE_KEY);
        return;
      }
      const data = await r.json();
      for (const t of data.turns) {
        const turn = renderQuestion(t.question);
        turn.dataset.question = t.question.trim();
        renderAnswer(turn, t.answer);
      }
      scrollToEnd();
    } catch (err) {
      /* the page still works without the history */
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (!question || send.disabled) return;
    input.value = "";
    ask(question);
  });

  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });

  document.getElementById("new-conversation").addEventListener("click", () => {
    conversationId = null;
    window.localStorage.removeItem(STORAGE_KEY);
    log.replaceChildren();
    if (hint) log.appendChild(hint);
    input.focus();
  });

  restore();
  input.focus();
})();
