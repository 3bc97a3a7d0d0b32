/* Self-check questions: immediate feedback in the browser, no kernel, no network. */
(function () {
  "use strict";
  function decode(s) {
    var bytes = Uint8Array.from(atob(s), function (c) { return c.charCodeAt(0); });
    return JSON.parse(new TextDecoder().decode(bytes));
  }
  function parseNumber(text) {
    var t = String(text).trim().replace(/%$/, "").replace(/,/g, "").trim();
    if (t === "" || isNaN(Number(t))) { return null; }
    return Number(t);
  }
  function letters(text) {
    return String(text).toLowerCase().split(/[\s,;]+/).filter(function (x) { return x; });
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function check(box) {
    var q = decode(box.getAttribute("data-q"));
    var out = box.querySelector(".casebook-sc-feedback");
    var ok = null, msg = "", given = null;
    if (q.type === "choice") {
      var sel = box.querySelector("input:checked");
      if (!sel) { msg = "Choose an option first."; } else { given = sel.value; }
    } else if (q.type === "multi") {
      given = Array.prototype.map.call(box.querySelectorAll("input:checked"), function (i) { return i.value; }).sort();
      if (!given.length) { msg = "Tick at least one option."; given = null; }
    } else if (q.type === "numeric") {
      var raw = box.querySelector(".casebook-sc-number").value;
      given = parseNumber(raw);
      if (given === null) { msg = "Type a number, such as 12.5."; }
    } else if (q.type === "order") {
      given = letters(box.querySelector(".casebook-sc-order").value);
      if (!same(given.slice().sort(), q.options.slice().sort())) {
        msg = "Use every letter (" + q.options.join(", ") + ") exactly once."; given = null;
      }
    }
    if (given !== null) {
      if (q.answer === null) {
        msg = "Answer recorded in the right format. This question is graded: submit it in your exercise notebook.";
      } else {
        if (q.type === "numeric") { ok = Math.abs(given - q.answer) <= q.tolerance + 1e-9; }
        else if (q.type === "multi") { ok = same(given, q.answer.slice().sort()); }
        else { ok = same(given, q.answer); }
        msg = ok ? (q.feedback.right || "Correct.") : ((q.type === "choice" && q.feedback[given]) || q.feedback.wrong || "Not quite; try again.");
        if (ok && q.explanation) { msg += " " + q.explanation; }
      }
    }
    // a live region reads out changes only: the same message given twice gets a no-break
    // space at its end, so a reader who checks again hears the answer again
    out.textContent = out.textContent === msg ? msg + "\u00a0" : msg;
    out.className = "casebook-sc-feedback " + (ok === true ? "is-right" : ok === false ? "is-wrong" : "is-info");
  }
  function wire() {
    document.querySelectorAll(".casebook-selfcheck").forEach(function (box) {
      var button = box.querySelector(".casebook-sc-check");
      if (button && !button.dataset.wired) {
        button.dataset.wired = "1";
        button.addEventListener("click", function () { check(box); });
        // Enter in an answer box checks it, as in a form
        box.querySelectorAll("input[type=text]").forEach(function (input) {
          input.addEventListener("keydown", function (e) {
            if (e.key === "Enter") { e.preventDefault(); check(box); }
          });
        });
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", wire); } else { wire(); }
})();

/* Accessibility of the what-if widgets (WCAG 2.1 AA). The static widget manager draws sliders
   (noUiSlider handles with role="slider" but no name, and the slider's index as its value
   text) and toggle buttons (no state a screen reader can hear). Once they are drawn, and again
   whenever they change, this names each slider after its visible label, gives it the readout's
   text as its value ("FY2020", not "1"), groups the toggle buttons under their label with
   aria-pressed, and announces the chart's new readout in a polite live region. */
(function () {
  "use strict";
  var next = 0;
  function idFor(el) {
    if (!el.id) { next += 1; el.id = "casebook-a11y-" + next; }
    return el.id;
  }
  function set(el, name, value) {
    if (el.getAttribute(name) !== value) { el.setAttribute(name, value); }
  }
  function label(widget) {
    var lab = widget.querySelector(":scope > .widget-label");
    if (lab && lab.getAttribute("title") === "null") { lab.removeAttribute("title"); }
    return lab && lab.textContent.trim() ? lab : null;
  }
  function sliders(root) {
    root.querySelectorAll(".widget-slider").forEach(function (widget) {
      var handle = widget.querySelector(".noUi-handle");
      var lab = label(widget);
      if (!handle) { return; }
      if (lab) { set(handle, "aria-labelledby", idFor(lab)); }
      var readout = widget.querySelector(".widget-readout");
      if (readout && readout.textContent.trim()) { set(handle, "aria-valuetext", readout.textContent.trim()); }
      if (readout) {  // the typed-in readout is a second way to set the value: name it too
        set(readout, "role", "textbox");
        set(readout, "aria-label", (lab ? lab.textContent.trim() : "value") + ": type a value");
      }
    });
  }
  function toggles(root) {
    root.querySelectorAll(".widget-toggle-buttons").forEach(function (widget) {
      var lab = label(widget);
      var group = widget.querySelector(":scope > div");
      if (group) {
        set(group, "role", "group");
        if (lab) { set(group, "aria-labelledby", idFor(lab)); }
      }
      widget.querySelectorAll("button").forEach(function (b) {
        set(b, "aria-pressed", b.classList.contains("mod-active") ? "true" : "false");
      });
    });
  }
  function visibleReadout(box) {
    var shown = Array.prototype.filter.call(box.querySelectorAll(".casebook-readout"), function (r) {
      return r.offsetParent !== null && !r.closest(".casebook-live-only");
    });
    return shown.length ? shown[0].textContent.trim() : "";
  }
  function announce(box) {
    var status = box.querySelector(":scope > .casebook-whatif-status");
    var now = visibleReadout(box);
    if (!status) {
      status = document.createElement("div");
      status.className = "casebook-whatif-status casebook-sr-only";
      status.setAttribute("role", "status");
      status.setAttribute("aria-live", "polite");
      box.appendChild(status);
      status.dataset.last = now;  // the first chart is read with the page, not announced
      return;
    }
    if (now && now !== status.dataset.last) {
      status.dataset.last = now;
      status.textContent = "Chart now shows: " + now;
    }
  }
  function codeToggles() {
    // the theme names every "Show code cell source" toggle "Toggle hidden content": a list of
    // controls that all sound alike. Without the label, each is named by the words it shows.
    document.querySelectorAll('details.hide > summary[aria-label="Toggle hidden content"]').forEach(function (s) {
      s.removeAttribute("aria-label");
    });
  }
  function landmarks() {
    // the theme puts the book's title (a link home) in the sidebar outside any landmark, so a
    // screen reader's landmark list skips it: name it as the navigation it is
    document.querySelectorAll(".sidebar-primary-items__start > .sidebar-primary-item").forEach(function (el) {
      if (!el.closest("nav, header, main, aside, footer, [role]") && el.querySelector("a.navbar-brand")) {
        el.setAttribute("role", "navigation");
        el.setAttribute("aria-label", "Book home");
      }
    });
  }
  function headerButtons() {
    // WCAG 2.5.3 (label in name; axe's label-content-name-mismatch): a control's name must hold
    // the text it shows. The theme's search field shows "Search Ctrl+K" but is named "Search":
    // without the aria-label it is named by what it shows. The colour-mode button is named
    // "Color mode" while its icons carry titles of their own ("Light", "Dark"), which count as
    // its text: the icons are decoration (the button's name and tooltip say what it does).
    document.querySelectorAll(".search-button-field[aria-label]").forEach(function (b) {
      b.removeAttribute("aria-label");
    });
    document.querySelectorAll(".theme-switch-button svg, .theme-switch-button i").forEach(function (icon) {
      icon.querySelectorAll("title").forEach(function (t) { t.remove(); });
      ["aria-labelledby", "role", "title"].forEach(function (a) {
        if (icon.hasAttribute(a)) { icon.removeAttribute(a); }
      });
      if (icon.getAttribute("aria-hidden") !== "true") { icon.setAttribute("aria-hidden", "true"); }
    });
  }
  var pending = false;
  function scan() {
    pending = false;
    codeToggles();
    landmarks();
    headerButtons();
    document.querySelectorAll(".casebook-whatif").forEach(function (box) {
      sliders(box); toggles(box); announce(box);
    });
  }
  function later() { if (!pending) { pending = true; setTimeout(scan, 0); } }
  function start() {
    new MutationObserver(later).observe(document.body, {
      subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ["aria-valuenow", "class"]
    });
    later();
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
