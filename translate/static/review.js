// Review page: submit segment actions without leaving the page, keyboard navigation,
// term highlighting. Every text shown comes escaped from the server or goes through
// textContent; nothing here builds HTML from user text.
(() => {
  "use strict";
  const meta = document.querySelector('meta[name="csrf-token"]');
  const csrf = meta ? meta.content : "";
  const statusLine = document.getElementById("status-line");
  let current = -1;

  const rows = () => Array.from(document.querySelectorAll("article.seg"));

  function say(message, isError) {
    if (!statusLine) return;
    statusLine.textContent = message;
    statusLine.classList.toggle("error", Boolean(isError));
  }

  function focusRow(index) {
    const all = rows();
    if (!all.length) return;
    current = Math.max(0, Math.min(index, all.length - 1));
    all.forEach((row, i) => row.classList.toggle("current", i === current));
    all[current].focus({ preventScroll: true });
    all[current].scrollIntoView({ block: "nearest" });
  }

  function currentRow() {
    const all = rows();
    return current >= 0 && current < all.length ? all[current] : null;
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

  function freshRow(html) {
    const tpl = document.createElement("template");
    tpl.innerHTML = html.trim();
    return tpl.content.firstElementChild;
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
      target = freshRow(data.row);
      row.replaceWith(target);
      focusRow(rows().indexOf(target));
    } else {
      buttons.forEach((b) => { b.disabled = false; });
    }
    if (response.ok) {
      say(`${target.dataset.seg}: ${data.state.status}, rev ${data.state.rev}`, false);
    } else if (response.status === 409) {
      const box = target.querySelector(".conflict");
      if (box) {
        box.textContent = "Not saved: someone else changed this segment. " + data.error;
        box.hidden = false;
      }
      if (typed !== null) {  // keep what the reviewer typed, over the current text
        const details = openDetails(target, "editor");
        if (details) details.querySelector("textarea").value = typed;
      }
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

  document.addEventListener("keydown", (event) => {
    const inField = event.target.closest("textarea, input, select");
    if (inField) {
      const form = event.target.closest("form.act");
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && form) {
        event.preventDefault();
        form.requestSubmit();
      } else if (event.key === "Escape") {
        const details = event.target.closest("details");
        if (details) details.open = false;
        const row = event.target.closest("article.seg");
        if (row) row.focus();
      }
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    const row = currentRow();
    switch (event.key) {
      case "j": case "ArrowDown": focusRow(current + 1); break;
      case "k": case "ArrowUp": focusRow(current - 1); break;
      case "e": if (!openDetails(row, "editor")) return; break;
      case "c": if (!openDetails(row, "commenter")) return; break;
      case "r": if (!openDetails(row, "rejecter")) return; break;
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

  document.addEventListener("click", (event) => {
    const row = event.target.closest("article.seg");
    if (row) {
      const index = rows().indexOf(row);
      if (index !== current) {
        current = index;
        rows().forEach((r, i) => r.classList.toggle("current", i === current));
      }
    }
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

  const hash = window.location.hash.slice(1);
  const start = hash ? rows().findIndex((r) => r.id === hash) : -1;
  if (start >= 0) focusRow(start);
})();
