// ReplyCheck: small improvements on top of pages that work without JavaScript.
// No inline script anywhere (the Content-Security-Policy forbids it); this file is all there is.
//
// Without it, a highlight is a link to its note, and the note shows when it is the link's
// target (CSS :target). With it:
// - focusing, tapping or clicking a highlight opens its note under the message (Escape closes);
// - "Apply" in a note puts the better wording into the edit box;
// - a text over the size limit is not sent: the warning says why and the box gets the focus;
// - "Checking…" on the button while the page loads, and Ctrl+Enter checks.
(function () {
  "use strict";

  function byteLength(text) {
    return new TextEncoder().encode(text).length;
  }

  function kb(bytes) {
    return Math.ceil(bytes / 1024) + " KB";
  }

  function setUpForm(form) {
    var limit = parseInt(form.getAttribute("data-max-bytes"), 10);
    var text = form.querySelector("textarea[name=text]");
    var size = form.querySelector(".size");
    var button = form.querySelector("button[type=submit]");

    function tooBig() {
      return !!(text && limit && byteLength(text.value) > limit);
    }

    function showSize() {
      if (!text || !size || !limit) { return; }
      var bytes = byteLength(text.value);
      if (bytes > limit) {
        size.textContent = "This is " + kb(bytes) + ", over the " + kb(limit) +
          " limit, so it cannot be checked. Check one conversation at a time, or trim quoted email threads.";
        size.classList.add("too-big");
      } else if (bytes > limit * 0.8) {
        size.textContent = kb(bytes) + " of " + kb(limit) + ".";
        size.classList.remove("too-big");
      } else {
        size.textContent = "";
        size.classList.remove("too-big");
      }
    }

    if (text) {
      text.addEventListener("input", showSize);
      showSize();
      // Ctrl+Enter (or Cmd+Enter) in the text box checks it.
      text.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
        }
      });
    }

    form.addEventListener("submit", function (event) {
      if (tooBig()) {
        // The server would refuse it (413): say so here and keep the learner on the page.
        event.preventDefault();
        showSize();
        text.setAttribute("aria-invalid", "true");
        text.focus();
        return;
      }
      if (button) {
        button.setAttribute("aria-busy", "true");
        button.dataset.label = button.textContent;
        button.textContent = "Checking…";
      }
    });
  }

  function restoreButtons() {
    // Coming back with the Back button shows the page from cache: make Check usable again.
    document.querySelectorAll("button[aria-busy=true]").forEach(function (button) {
      button.removeAttribute("aria-busy");
      if (button.dataset.label) { button.textContent = button.dataset.label; }
    });
  }

  function focusError() {
    var error = document.getElementById("form-error");
    if (error) { error.focus(); }
  }

  // ---------------------------------------------------------------- highlights and their notes

  function notesOf(link) {
    return (link.getAttribute("data-notes") || "").split(" ").filter(Boolean).map(function (n) {
      return document.getElementById("note-" + n);
    }).filter(Boolean);
  }

  function closeAll(except) {
    document.querySelectorAll(".note.open").forEach(function (note) {
      if (except.indexOf(note) < 0) { note.classList.remove("open"); }
    });
    document.querySelectorAll("a[aria-expanded=true]").forEach(function (link) {
      if (notesOf(link).some(function (n) { return except.indexOf(n) < 0; })) {
        link.setAttribute("aria-expanded", "false");
      }
    });
  }

  function openFor(link) {
    var notes = notesOf(link);
    closeAll(notes);
    notes.forEach(function (note) { note.classList.add("open"); });
    link.setAttribute("aria-expanded", "true");
  }

  function setUpHighlights() {
    var links = document.querySelectorAll(".msg a.hl, .msg a.gap");
    links.forEach(function (link) {
      link.setAttribute("aria-expanded", "false");
      link.setAttribute("aria-controls", notesOf(link).map(function (n) { return n.id; }).join(" "));
      link.addEventListener("focus", function () { openFor(link); });
      link.addEventListener("click", function (event) {
        event.preventDefault();
        openFor(link);
      });
    });
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") { return; }
      var open = document.querySelector("a[aria-expanded=true]");
      closeAll([]);
      if (open) { open.focus({preventScroll: true}); closeAll([]); }
    });
    // "Show it in your text" (the fixes and the list under them): open the note and go to the highlight.
    document.querySelectorAll("a.show-note").forEach(function (show) {
      show.addEventListener("click", function (event) {
        var link = document.getElementById(show.getAttribute("data-ref"));
        if (!link) { return; }
        event.preventDefault();
        link.scrollIntoView({block: "center"});
        link.focus({preventScroll: true});
        openFor(link);
      });
    });
    // "Back to the text" in a note: back to its highlight, note still open.
    document.querySelectorAll(".note a.back").forEach(function (back) {
      back.addEventListener("click", function (event) {
        var link = document.querySelector(back.getAttribute("href"));
        if (!link) { return; }
        event.preventDefault();
        link.focus();
      });
    });
  }

  // ---------------------------------------------------------------- "Apply": better wording into the box

  var applied = [];  // edits made so far: {at: source offset, delta: change in length}

  function shift(offset) {
    return applied.reduce(function (sum, edit) { return edit.at <= offset ? sum + edit.delta : sum; }, 0);
  }

  function locate(value, start, end, find, before) {
    var at = start + shift(start);
    if (find) {
      if (value.substr(at, find.length) === find) { return at; }
      var first = value.indexOf(find);  // moved: the one place it is, if only one
      if (first >= 0 && value.indexOf(find, first + 1) < 0) { return first; }
      return -1;
    }
    if (before === "" || value.substring(at - before.length, at) === before) { return at; }
    var found = value.indexOf(before);
    if (found >= 0 && value.indexOf(before, found + 1) < 0) { return found + before.length; }
    return -1;
  }

  // Scroll the edit box (not the page) so the changed words are in view: a hidden copy of the box
  // holding the text up to the change measures how far down they are, wrapping included.
  function showInBox(box, at) {
    var copy = box.cloneNode(false);
    copy.removeAttribute("id");
    copy.removeAttribute("name");
    copy.setAttribute("aria-hidden", "true");
    copy.tabIndex = -1;
    copy.style.position = "absolute";
    copy.style.visibility = "hidden";
    copy.style.height = "0";
    copy.style.minHeight = "0";
    copy.style.width = box.offsetWidth + "px";
    copy.value = box.value.slice(0, at);
    box.parentNode.appendChild(copy);
    var above = copy.scrollHeight;
    copy.remove();
    box.scrollTop = Math.max(0, above - box.clientHeight / 2);
  }

  function setUpApply() {
    var box = document.querySelector(".again textarea[name=text]");
    if (!box) { return; }
    document.querySelectorAll("button.apply").forEach(function (button) {
      button.hidden = false;
      var status = button.parentNode.querySelector(".apply-status");
      button.addEventListener("click", function () {
        var start = parseInt(button.getAttribute("data-start"), 10);
        var end = parseInt(button.getAttribute("data-end"), 10);
        var find = button.getAttribute("data-find");
        var text = button.getAttribute("data-text");
        var at = locate(box.value, start, end, find, button.getAttribute("data-before"));
        if (at < 0) {
          status.textContent = "Your text has changed here: make this change in the box yourself.";
          return;
        }
        box.value = box.value.slice(0, at) + text + box.value.slice(at + find.length);
        applied.push({at: start, delta: text.length - find.length});
        box.dispatchEvent(new Event("input"));
        box.setSelectionRange(at, at + text.length);
        showInBox(box, at);
        button.disabled = true;
        status.textContent = "Done: it is in your text below. Check again when you are ready.";
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.check-form").forEach(setUpForm);
    setUpHighlights();
    setUpApply();
    focusError();
  });
  window.addEventListener("pageshow", restoreButtons);
})();
