// The marking page of `casebook review` (dualwheel/grading/review.py writes it around this file).
// Student text and names are hostile: everything from the data block reaches the page through
// textContent, setAttribute on fixed attribute names, or input values; never innerHTML.
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("review-data").textContent);
  var SEP = "\u0000";
  var STEP = DATA.step;
  var EPS = 1e-9;

  // ------------------------------------------------------------------ storage
  var storageOk = true;
  var storageBroken = false; // the stored marks of this class could not be read
  // "student id \0 question" -> {c: the typed values, one per criterion; h: the answer's digest;
  //  r: the digest of the criteria they were typed against}
  var marks = new Map();

  function loadMarks() {
    var raw = null;
    try {
      raw = window.localStorage.getItem(DATA.key);
    } catch (e) {
      storageOk = false;
      return;
    }
    if (!raw) return;
    try {
      var stored = JSON.parse(raw);
      var entries = stored && stored.marks ? stored.marks : {};
      Object.keys(entries).forEach(function (k) {
        var m = entries[k];
        if (m && Array.isArray(m.c)) marks.set(k, { c: m.c.map(String), h: String(m.h || ""), r: String(m.r || "") });
      });
    } catch (e) {
      // a broken entry is left as it is (never overwritten unread) and the page starts blank
      storageOk = false;
      storageBroken = true;
    }
  }

  function saveMarks() {
    if (!storageOk) return;
    var out = Object.create(null);
    marks.forEach(function (v, k) {
      if (v.c.some(function (x) { return x !== ""; })) out[k] = v;
    });
    try {
      window.localStorage.setItem(DATA.key, JSON.stringify({ v: 1, saved: Date.now(), marks: out }));
    } catch (e) {
      storageOk = false;
      showStorageWarning();
    }
  }

  // ------------------------------------------------------------------ helpers
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function fmt(x) {
    return String(Math.round(x * 10000) / 10000);
  }

  function words(text) {
    var t = (text || "").trim();
    return t ? t.split(/\s+/).length : 0;
  }

  function isStep(value) {
    var n = value / STEP;
    return Math.abs(n - Math.round(n)) < EPS;
  }

  // One typed value against its criterion: {state: "empty" | "ok" | "bad", value, message}
  function check(input, max) {
    if (input.validity && input.validity.badInput) {
      return { state: "bad", message: "Not a number. Enter 0 to " + fmt(max) + "." };
    }
    var raw = input.value.trim();
    if (raw === "") return { state: "empty" };
    var v = Number(raw);
    if (!isFinite(v)) return { state: "bad", message: "Not a number. Enter 0 to " + fmt(max) + "." };
    if (v < 0 || v > max + EPS) {
      return { state: "bad", message: fmt(v) + " is outside 0 to " + fmt(max) + ". Enter 0 to " + fmt(max) + "." };
    }
    if (!isStep(v)) {
      return { state: "bad", message: fmt(v) + " is not in steps of " + fmt(STEP) + ". Enter 0 to " + fmt(max) + " in steps of " + fmt(STEP) + "." };
    }
    return { state: "ok", value: v };
  }

  // ------------------------------------------------------------------ the page
  var answers = []; // one per (question, student): {key, q, s, inputs, errors, total, status, card}
  var lastCard = -1; // the answer last worked on: "next unmarked" looks after it
  var progress, perQuestion = new Map(), exportStatus, exportAlert, storageWarning;

  function showStorageWarning() {
    if (storageWarning) storageWarning.hidden = false;
  }

  function build() {
    document.title = "Marking: Chapter " + DATA.chapter + " rubric answers (" + DATA.folder + ")";
    var header = el("header", "top");
    header.appendChild(el("h1", null, "Marking rubric answers: Chapter " + DATA.chapter + ", " + DATA.title));
    header.appendChild(el("p", "muted", "Graded folder: " + DATA.folder + ". " + DATA.students.length +
      " students. Marks are kept in this browser as you type; Export writes manual_scores.csv for casebook merge."));
    storageWarning = el("p", "warning", storageBroken
      ? "The marks this browser kept for this class cannot be read: they are left as they were, and new marks are not kept. Export often."
      : "This browser does not let the page keep marks: they are lost on reload. Export often.");
    storageWarning.setAttribute("role", "alert");
    storageWarning.hidden = storageOk;
    header.appendChild(storageWarning);

    document.body.appendChild(header);

    // progress and export stay in view while scrolling (a named region: a landmark)
    var bar = el("section", "bar");
    bar.setAttribute("aria-label", "Progress and export");
    progress = el("p", "progress");
    progress.id = "progress";
    progress.setAttribute("role", "status");
    bar.appendChild(progress);
    var next = el("button", null, "Next unmarked answer");
    next.type = "button";
    next.id = "next-unmarked";
    next.addEventListener("click", goToNextUnmarked);
    bar.appendChild(next);
    var exp = el("button", "primary", "Export manual_scores.csv");
    exp.type = "button";
    exp.id = "export";
    exp.addEventListener("click", exportCsv);
    bar.appendChild(exp);
    exportStatus = el("p", "muted status");
    exportStatus.id = "export-status";
    exportStatus.setAttribute("role", "status");
    bar.appendChild(exportStatus);
    exportAlert = el("p", "error");
    exportAlert.id = "export-alert";
    exportAlert.setAttribute("role", "alert");
    bar.appendChild(exportAlert);
    document.body.appendChild(bar);

    var nav = el("nav");
    nav.setAttribute("aria-label", "Rubric questions");
    var list = el("ul");
    DATA.questions.forEach(function (q, qi) {
      var li = el("li");
      var a = el("a", null, q.var + ": " + q.title);
      a.href = "#question-" + qi;
      li.appendChild(a);
      var count = el("span", "muted");
      li.appendChild(document.createTextNode(" "));
      li.appendChild(count);
      perQuestion.set(qi, count);
      list.appendChild(li);
    });
    nav.appendChild(list);
    document.body.appendChild(nav);

    var main = el("main");
    DATA.questions.forEach(function (q, qi) {
      main.appendChild(buildQuestion(q, qi));
    });
    document.body.appendChild(main);
  }

  function buildQuestion(q, qi) {
    var section = el("section", "question");
    section.id = "question-" + qi;
    section.setAttribute("aria-labelledby", "question-" + qi + "-title");
    var h2 = el("h2", null, q.var + ": " + q.title + " (" + fmt(q.points) + " points)");
    h2.id = "question-" + qi + "-title";
    section.appendChild(h2);
    section.appendChild(el("p", "prompt", q.prompt));
    if (q.words) section.appendChild(el("p", "muted", "Length asked for: " + q.words[0] + " to " + q.words[1] + " words."));
    var crit = el("ol", "criteria");
    q.criteria.forEach(function (c) {
      var li = el("li", null, c.text + " (" + fmt(c.points) + " points)");
      if (c.look_for) li.appendChild(el("p", "muted look-for", "Look for: " + c.look_for));
      crit.appendChild(li);
    });
    section.appendChild(el("h3", "sub", "Criteria"));
    section.appendChild(crit);
    var model = el("details", "model");
    model.appendChild(el("summary", null, "Model answer"));
    model.appendChild(el("p", null, q.model_answer));
    section.appendChild(model);

    DATA.students.forEach(function (s, si) {
      section.appendChild(buildAnswer(q, qi, s, si));
    });
    return section;
  }

  function buildAnswer(q, qi, s, si) {
    var key = s.id + SEP + q.var;
    var base = "m-" + qi + "-" + si;
    var card = el("article", "answer");
    card.id = base;
    card.setAttribute("aria-labelledby", base + "-name");
    var head = el("h3", null, s.name);
    head.id = base + "-name";
    card.appendChild(head);
    var text = s.answers[q.var] || "";
    var meta = (s.status ? "Status: " + s.status + ". " : "") + words(text) + " words" +
      (q.words ? " (asked " + q.words[0] + " to " + q.words[1] + ")" : "") + ".";
    card.appendChild(el("p", "muted meta", meta));
    (s.flags || []).forEach(function (f) { card.appendChild(el("p", "warning flag", f)); });

    var grid = el("div", "grid");
    var body = el("div", "text");
    if (text.trim()) {
      body.textContent = text;
    } else {
      body.textContent = "(no answer)";
      body.classList.add("empty");
    }
    grid.appendChild(body);

    var fs = el("fieldset", "marks");
    var legend = el("legend", null, "Marks for " + s.name + ", " + q.var);
    fs.appendChild(legend);
    var digest = s.digests[q.var];
    var kept = marks.get(key);
    // marks typed against other criteria (the rubric was edited since) would land in the wrong boxes
    var rubricChanged = Boolean(kept && kept.r && kept.r !== q.rubric);
    var stored = kept && !rubricChanged ? kept.c : [];
    var entry = { key: key, q: q, s: s, qi: qi, si: si, inputs: [], errors: [], card: card };
    q.criteria.forEach(function (c, ci) {
      var row = el("div", "criterion");
      var id = base + "-c" + ci;
      var label = el("label", null, (ci + 1) + ". " + c.text + " (0 to " + fmt(c.points) + ")");
      label.htmlFor = id;
      var input = el("input");
      input.type = "number";
      input.id = id;
      input.min = "0";
      input.max = String(c.points);
      input.step = String(STEP);
      input.inputMode = "decimal";
      input.autocomplete = "off";
      input.value = stored[ci] !== undefined ? stored[ci] : "";
      var err = el("p", "error");
      err.id = id + "-error";
      input.setAttribute("aria-describedby", err.id);
      input.addEventListener("input", function () { changed(entry); });
      row.appendChild(label);
      row.appendChild(input);
      if (c.levels && c.levels.length) {
        // the quality levels beside the box: what each mark means
        var levels = el("ul", "levels");
        levels.setAttribute("aria-label", "Levels of criterion " + (ci + 1));
        c.levels.forEach(function (l) { levels.appendChild(el("li", null, l[0] + ": " + l[1])); });
        row.appendChild(levels);
      }
      row.appendChild(err);
      fs.appendChild(row);
      entry.inputs.push(input);
      entry.errors.push(err);
    });
    entry.total = el("p", "total");
    fs.appendChild(entry.total);
    entry.digest = digest;
    if (rubricChanged) {
      fs.appendChild(el("p", "warning", "The criteria of this question changed since you marked it: your earlier marks were not restored, mark it again."));
    } else if (kept && kept.h && kept.h !== digest) {
      // regraded since it was marked: keep the marks, and say so
      fs.appendChild(el("p", "warning", "This answer has changed since you marked it (the notebook was regraded): check the marks."));
    }
    grid.appendChild(fs);
    card.appendChild(grid);
    var index = answers.length;
    card.addEventListener("focusin", function () { lastCard = index; });
    answers.push(entry);
    refresh(entry);
    return card;
  }

  // Recompute one answer's state from its inputs: "marked", "saved" (a score from
  // manual_scores.csv and none typed here), "partial", "invalid" or "blank".
  function refresh(entry) {
    var max = entry.q.criteria;
    var sum = 0, filled = 0, bad = 0;
    entry.inputs.forEach(function (input, ci) {
      var r = check(input, max[ci].points);
      var err = entry.errors[ci];
      if (r.state === "bad") {
        bad += 1;
        input.setAttribute("aria-invalid", "true");
        err.textContent = r.message;
      } else {
        input.removeAttribute("aria-invalid");
        err.textContent = "";
        if (r.state === "ok") { filled += 1; sum += r.value; }
      }
    });
    var saved = Object.prototype.hasOwnProperty.call(DATA.saved, entry.key) ? DATA.saved[entry.key] : undefined;
    var status;
    if (bad) status = "invalid";
    else if (filled === entry.inputs.length) status = "marked";
    else if (saved !== undefined) status = "saved";
    else if (filled) status = "partial";
    else status = "blank";
    entry.status = status;
    entry.points = status === "marked" ? fmt(sum) : status === "saved" ? saved : "";
    var t = status === "marked" ? "Total: " + fmt(sum) + " of " + fmt(entry.q.points)
      : "Total: not marked yet (out of " + fmt(entry.q.points) + ")";
    if (status === "saved") t = "manual_scores.csv gives " + saved + " of " + fmt(entry.q.points) + "; marks typed here replace it.";
    else if (saved !== undefined && status === "marked" && saved !== fmt(sum)) t += " (manual_scores.csv gave " + saved + ")";
    if (status === "partial") t += ": " + (entry.inputs.length - filled) + " criteria left";
    if (status === "invalid") t = "Fix the marks flagged above.";
    entry.total.textContent = t;
    entry.card.setAttribute("data-status", status);
  }

  function changed(entry) {
    refresh(entry);
    marks.set(entry.key, {
      c: entry.inputs.map(function (i) { return i.validity && i.validity.badInput ? "" : i.value; }),
      h: entry.digest,
      r: entry.q.rubric
    });
    saveMarks();
    updateProgress();
    exportAlert.textContent = "";
  }

  function isDone(entry) {
    return entry.status === "marked" || entry.status === "saved";
  }

  function updateProgress() {
    var done = answers.filter(isDone).length;
    progress.textContent = "Marked " + done + " of " + answers.length + " answers, " + (answers.length - done) + " left.";
    DATA.questions.forEach(function (q, qi) {
      var mine = answers.filter(function (a) { return a.qi === qi; });
      var d = mine.filter(isDone).length;
      perQuestion.get(qi).textContent = "(" + d + " of " + mine.length + " marked)";
    });
  }

  function goToNextUnmarked() {
    var start = lastCard + 1;
    for (var k = 0; k < answers.length; k += 1) {
      var a = answers[(start + k) % answers.length];
      if (!isDone(a)) {
        var target = a.inputs.filter(function (i) { return i.value === ""; })[0] || a.inputs[0];
        target.focus();
        a.card.scrollIntoView({ block: "start" });
        return;
      }
    }
    exportStatus.textContent = "Every answer is marked.";
  }

  // ------------------------------------------------------------------ export
  function csvCell(value) {
    var s = String(value === undefined || value === null ? "" : value);
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function exportCsv() {
    var invalid = answers.filter(function (a) { return a.status === "invalid"; });
    if (invalid.length) {
      exportAlert.textContent = "Not exported: " + invalid.length + " answer" + (invalid.length > 1 ? "s have" : " has") +
        " a mark that is not allowed (first: " + invalid[0].s.name + ", " + invalid[0].q.var + "). Fix the flagged boxes, then export again.";
      var first = invalid[0].inputs.filter(function (i) { return i.getAttribute("aria-invalid") === "true"; })[0];
      if (first) first.focus();
      return;
    }
    exportAlert.textContent = "";
    var byKey = new Map();
    answers.forEach(function (a) { byKey.set(a.key, a.points); });
    var lines = [DATA.columns.map(csvCell).join(",")];
    DATA.rows.forEach(function (row) {
      var points = byKey.get(row.student + SEP + row.question);
      var cells = DATA.columns.map(function (c) { return c === "points" ? (points || "") : row[c]; });
      lines.push(cells.map(csvCell).join(","));
    });
    var blob = new Blob([lines.join("\n") + "\n"], { type: "text/csv;charset=utf-8" });
    var url = URL.createObjectURL(blob);
    var a = document.createElement("a");
    a.href = url;
    a.download = "manual_scores.csv";
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    var done = answers.filter(isDone).length;
    exportStatus.textContent = "Exported manual_scores.csv: " + done + " scored, " + (answers.length - done) +
      " left blank (casebook merge leaves their totals open).";
  }

  loadMarks();
  build();
  updateProgress();
})();
