// ReplyCheck: small improvements on top of pages that work without JavaScript.
// No inline script anywhere (the Content-Security-Policy forbids it); this file is all there is.
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

    function showSize() {
      if (!text || !size || !limit) { return; }
      var bytes = byteLength(text.value);
      // Warn early; the server still enforces the limit (and says so with its own page).
      if (bytes > limit) {
        size.textContent = "This is " + kb(bytes) + ", over the " + kb(limit) +
          " limit. Check one conversation at a time, or trim quoted email threads.";
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

    form.addEventListener("submit", function () {
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

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.check-form").forEach(setUpForm);
    focusError();
  });
  window.addEventListener("pageshow", restoreButtons);
})();
