// Energy supervision workbench (templates/supervision.html): forms post JSON or a file to
// /api/supervision/…, then the page reloads; a refusal is shown under its form, naming the field.
// Uses api() and errorText() of app.js (loaded first).
"use strict";
(function () {
  function value(el) {
    const t = el.dataset.type;
    if (t === "bool") return el.checked;
    if (el.value === "") return undefined;
    if (t === "int") return parseInt(el.value, 10);
    if (t === "float") return parseFloat(el.value);
    if (t === "list") return el.value.split(/[,，\s]+/).filter((x) => x);
    return el.value;
  }
  function body(form, submitter) {
    const out = {};
    form.querySelectorAll("input[name], select[name], textarea[name]").forEach((el) => {
      if (el.closest(".finding-row")) return;
      const v = value(el);
      if (v !== undefined) out[el.name] = v;
    });
    const rows = form.querySelectorAll(".finding-row");
    if (rows.length) {
      out.findings = [];
      rows.forEach((tr) => {
        const f = {};
        tr.querySelectorAll("[name]").forEach((el) => { const v = value(el); if (v !== undefined) f[el.name] = v; });
        if (f.description) out.findings.push(f);
      });
    }
    if (submitter && submitter.name === "accept") out.accept = submitter.value === "true";
    return out;
  }
  function fail(form, err) {
    const p = form.querySelector(".error");
    p.textContent = errorText(err);
    p.hidden = false;
  }
  document.querySelectorAll("form.sup-form").forEach((form) => form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      await api("POST", form.dataset.url, body(form, e.submitter));
      location.reload();
    } catch (err) { fail(form, err); }
  }));
  document.querySelectorAll("form.sup-upload").forEach((form) => form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = form.querySelector("input[type=file]");
    if (!input.files.length) return;
    const fd = new FormData();
    form.querySelectorAll("input[name]:not([type=file]), select[name]").forEach((el) => { if (el.value) fd.append(el.name, el.value); });
    fd.append("file", input.files[0]);
    try {
      await api("POST", form.dataset.url, fd, true);
      location.reload();
    } catch (err) { fail(form, err); }
  }));
})();
