// Statistical reporting pages (templates/reporting.html, review.html, notifications.html): forms
// post JSON or the Excel form to /api/reporting/…, then the page reloads; a refusal is shown under
// its form, naming the field. Uses api() and errorText() of app.js (loaded first).
"use strict";
(function () {
  function fail(form, err) {
    const p = form.querySelector(".error");
    p.textContent = errorText(err);
    p.hidden = false;
  }
  function fields(form, submitter) {
    const out = {};
    form.querySelectorAll("input[name], select[name]").forEach((el) => {
      if (el.type === "file" || el.value === "") return;
      out[el.name] = el.dataset.type === "int" ? parseInt(el.value, 10) : el.value;
    });
    if (submitter && submitter.name === "approve") out.approve = submitter.value === "true";
    return out;
  }
  document.querySelectorAll("form.rep-form").forEach((form) => form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try { await api("POST", form.dataset.url, fields(form, e.submitter)); location.reload(); } catch (err) { fail(form, err); }
  }));
  document.querySelectorAll("form.rep-reset").forEach((form) => form.addEventListener("submit", async (e) => {
    e.preventDefault();
    try {
      const done = await api("POST", form.dataset.url, {});
      const out = form.querySelector(".result");
      out.textContent = form.dataset.label + done.temporary_password;
      out.hidden = false;
    } catch (err) { fail(form, err); }
  }));
  document.querySelectorAll("form.rep-entry").forEach((form) => form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const values = {};
    form.querySelectorAll("input.rep-value").forEach((el) => { values[el.name] = el.value === "" ? null : el.value; });
    const note = form.querySelector("input[name=__note]");
    const body = { values, note: note ? note.value : "", submit: !!(e.submitter && e.submitter.value === "true") };
    try { await api("POST", form.dataset.url, body); location.reload(); } catch (err) { fail(form, err); }
  }));
  document.querySelectorAll("form.rep-edit").forEach((form) => form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const body = { ranges: {} };
    form.querySelectorAll(".filters select[name], .filters input[name]").forEach((el) => {
      body[el.name] = el.name === "due_days" ? parseInt(el.value, 10) : el.value;
    });
    // a bound that is not a number is sent as typed: the server refuses it naming the field (never "no bound")
    const num = (el) => (el.value.trim() === "" ? null : (Number.isFinite(Number(el.value)) ? Number(el.value) : el.value));
    form.querySelectorAll("tr[data-field]").forEach((tr) => {
      body.ranges[tr.dataset.field] = { low: num(tr.querySelector(".rep-low")), high: num(tr.querySelector(".rep-high")) };
    });
    try { await api("PATCH", form.dataset.url, body); form.querySelector(".done").hidden = false; form.querySelector(".error").hidden = true; }
    catch (err) { fail(form, err); }
  }));
  document.querySelectorAll("form.rep-upload").forEach((form) => form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const input = form.querySelector("input[type=file]");
    if (!input.files.length) return;
    const fd = new FormData();
    if (!form.classList.contains("rep-attach")) fd.append("submit", "true");
    fd.append("file", input.files[0]);
    try { await api("POST", form.dataset.url, fd, true); location.reload(); } catch (err) { fail(form, err); }
  }));
})();
