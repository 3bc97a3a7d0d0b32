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
    out.textContent = msg;
    out.className = "casebook-sc-feedback " + (ok === true ? "is-right" : ok === false ? "is-wrong" : "is-info");
  }
  function wire() {
    document.querySelectorAll(".casebook-selfcheck").forEach(function (box) {
      var button = box.querySelector(".casebook-sc-check");
      if (button && !button.dataset.wired) {
        button.dataset.wired = "1";
        button.addEventListener("click", function () { check(box); });
      }
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", wire); } else { wire(); }
})();
