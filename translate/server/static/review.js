// Review page: submit segment actions without leaving the page, keyboard navigation,
// term highlighting, the live progress line. Every text shown comes escaped from the
// server or goes through textContent; nothing here builds HTML from user text.
//
// The keyboard model: single-key shortcuts act only while focus is on the page itself or
// on a segment card, never while an input, textarea, select, button, link or editable
// element has it. The keyboard cursor (the "current" card) follows clicks, Tab focus and
// the #seg-ID in the address; approving moves it to the next segment that needs work.
(() => {
  "use strict";
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";
  const statusLine = document.getElementById("status-line");
  const ARABIC_RUN = /(?:[0-9]+[ \u00a0]+)?[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF](?:[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF0-9 \u00a0.,:/-]*[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF])?/g;
  let current = -1;

  const rows = () => Array.from(document.querySelectorAll("article.seg"));

  // Put text into an element, each Arabic run isolated in a <bdi dir="rtl"> (DOM nodes, no HTML).
  function setIsolated(el, text) {
    el.textContent = "";
    let pos = 0;
    for (const m of String(text).matchAll(ARABIC_RUN)) {
      el.append(text.slice(pos, m.index));
      const bdi = document.createElement("bdi");
      bdi.dir = "rtl";
      bdi.lang = "ar";
      bdi.textContent = m[0];
      el.append(bdi);
      pos = m.index + m[0].length;
    }
    el.append(String(text).slice(pos));
  }

  function say(message, isError) {
    if (!statusLine) return;
    setIsolated(statusLine, message);
    statusLine.classList.toggle("error", Boolean(isError));
  }

  function markCurrent(index) {
    current = index;
    rows().forEach((row, i) => row.classList.toggle("current", i === current));
  }

  function focusRow(index) {
    const all = rows();
    if (!all.length) return;
    markCurrent(Math.max(0, Math.min(index, all.length - 1)));
    all[current].focus({ preventScroll: true });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    const all = rows();
    return current >= 0 && current < all.length ? all[current] : null;
  }

  // The next segment after `from` (wrapping round) that is not approved, or -1.
  function nextNeedingWork(from) {
    const all = rows();
    for (let step = 1; step <= all.length; step++) {
      const i = (from + step) % all.length;
      if (all[i].dataset.status !== "approved") return i;
    }
    return -1;
  }

  function openDetails(row, cls) {
    const details = row && row.querySelector("details." + cls);
    if (!details) return null;
    details.open = true;
    const field = details.querySelector("textarea, input:not([type=hidden])");
    if (field) {
      field.focus();
      if (field.setSelectionRange) field.setSelectionRange(field.value.length, field.value.length);
    }
    return details;
  }

  function fromHtml(html) {
    const tpl = document.createElement("template");
    tpl.innerHTML = html.trim();
    return tpl.content.firstElementChild;
  }

  function showAlert(row, message) {
    const box = row && row.querySelector(".conflict");
    if (!box) return;
    setIsolated(box, message);
    box.hidden = false;
  }

  async function submitAction(form) {
    const row = form.closest("article.seg");
    const action = form.dataset.action;
    const typed = action === "edit" ? form.querySelector("textarea").value : null;
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => { b.disabled = true; });
    let response, data;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { "Accept": "application/json", "X-CSRF-Token": csrf },
        credentials: "same-origin",
      });
      data = await response.json();
    } catch (err) {
      buttons.forEach((b) => { b.disabled = false; });
      say("Could not reach the server: " + err, true);
      return;
    }
    let target = row;
    if (data.row) {
      target = fromHtml(data.row);
      row.replaceWith(target);
      markCurrent(rows().indexOf(target));
      target.focus({ preventScroll: true });
    } else {
      buttons.forEach((b) => { b.disabled = false; });
    }
    if (data.progress_html) {
      const line = document.getElementById("progress");
      if (line) line.replaceWith(fromHtml(data.progress_html));
    }
    if (response.ok) {
      let message = `${target.dataset.seg}: ${data.state.status}, rev ${data.state.rev}`;
      if (action === "approve" && data.state.status === "approved") {
        const next = nextNeedingWork(rows().indexOf(target));
        if (next >= 0) {
          focusRow(next);
          message += `; next: ${rows()[next].dataset.seg}`;
        } else {
          message += "; every segment is approved";
        }
      }
      say(message, false);
    } else if (response.status === 409) {
      showAlert(target, "Not saved: someone else changed this segment. " + data.error);
      if (typed !== null) {  // keep what the reviewer typed, over the current text
        const details = openDetails(target, "editor");
        if (details) details.querySelector("textarea").value = typed;
      }
      say(data.error, true);
    } else if (data.needs_override) {
      showAlert(target, data.error);
      openDetails(target, "overrider");  // the reason box, focused
      say(data.error, true);
    } else {
      say(data.error || `Refused (HTTP ${response.status})`, true);
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target.closest("form.act");
    if (!form) return;
    event.preventDefault();
    submitAction(form);
  });

  function isField(el) {
    return Boolean(el && (el.isContentEditable ||
      (el.closest && el.closest("textarea, input, select, [contenteditable]:not([contenteditable=false])"))));
  }

  // Shortcuts act only with focus on the page itself or on a segment card.
  function onPageOrCard(el) {
    return !el || el === document.body || el === document.documentElement ||
      (el.matches && el.matches("article.seg"));
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    if (event.key === "Escape") {  // from a field or a control inside a card: close it, back to the card
      const row = target.closest && target.closest("article.seg");
      if (row && row !== target) {
        const details = target.closest("details");
        if (details) details.open = false;
        row.focus();
        event.preventDefault();
      }
      return;
    }
    if (isField(target)) {
      const form = target.closest("form.act");
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && form) {
        event.preventDefault();
        form.requestSubmit();
      }
      return;
    }
    if (!onPageOrCard(target) || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    const row = currentRow();
    switch (event.key) {
      case "j": case "ArrowDown": focusRow(current + 1); break;
      case "k": case "ArrowUp": focusRow(current < 0 ? 0 : current - 1); break;
      case "e": if (!openDetails(row, "editor")) return; break;
      case "c": if (!openDetails(row, "commenter")) return; break;
      case "r": if (!openDetails(row, "rejecter")) return; break;
      case "1": case "2": case "3": {  // use translation-memory match N as the English (an edit)
        const form = row && row.querySelector(`form.act[data-tm-match="${event.key}"]`);
        if (!form) return;
        form.requestSubmit();
        break;
      }
      case "a": {
        const form = row && row.querySelector('form.act[data-action="approve"]');
        if (!form) return;
        form.requestSubmit();
        break;
      }
      default: return;
    }
    event.preventDefault();
  });

  // The cursor follows the reviewer: a click or Tab into a card makes it current.
  document.addEventListener("focusin", (event) => {
    const row = event.target.closest && event.target.closest("article.seg");
    if (row) markCurrent(rows().indexOf(row));
  });
  document.addEventListener("click", (event) => {
    const row = event.target.closest("article.seg");
    if (row) markCurrent(rows().indexOf(row));
  });

  // Hovering a glossary term lights it up on both sides.
  function lightTerms(event, on) {
    const mark = event.target.closest && event.target.closest("mark.term");
    if (!mark) return;
    const row = mark.closest("article.seg");
    row.querySelectorAll(`mark.term[data-term="${CSS.escape(mark.dataset.term)}"]`)
      .forEach((m) => m.classList.toggle("lit", on));
  }
  document.addEventListener("mouseover", (e) => lightTerms(e, true));
  document.addEventListener("mouseout", (e) => lightTerms(e, false));

  // #seg-ID in the address (on load, or changed later) puts the keyboard cursor there.
  function followHash() {
    const id = decodeURIComponent(window.location.hash.slice(1));
    const index = id ? rows().findIndex((r) => r.id === id) : -1;
    if (index >= 0) focusRow(index);
  }
  window.addEventListener("hashchange", followHash);
  followHash();
})();
