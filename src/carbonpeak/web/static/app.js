// CarbonPeak UI: plain JavaScript, no framework; charts with Plotly served from the installed package.
"use strict";
const LANG = document.body.dataset.lang || "zh";
const zh = LANG !== "en";
const csrf = () => document.querySelector('meta[name="csrf-token"]').content;

async function api(method, url, body, isForm) {
  const headers = { "X-CSRF-Token": csrf() };
  if (body && !isForm) headers["Content-Type"] = "application/json";
  const res = await fetch(url, { method, headers, credentials: "same-origin",
                                 body: body ? (isForm ? body : JSON.stringify(body)) : undefined });
  let data = null;
  try { data = await res.json(); } catch (e) { data = null; }
  if (!res.ok) { const err = new Error("HTTP " + res.status); err.status = res.status; err.data = data; throw err; }
  return data;
}
const fmt = (v, d = 2) => (v === null || v === undefined) ? "—" :
  Number(v).toLocaleString(zh ? "zh-CN" : "en", { maximumFractionDigits: d, minimumFractionDigits: Math.abs(v) < 100 ? d : 0 });
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));
function errorText(err) {
  const d = err.data && err.data.detail;
  if (Array.isArray(d)) return d.map((x) => x.msg || JSON.stringify(x)).join("\n");
  return oneLanguage(d || err.message);
}
// "中文 / English" messages from the server: the reader's half only
function oneLanguage(s) {
  const parts = String(s ?? "").split(" / ");
  if (parts.length !== 2) return s;
  const cjk = (x) => /[\u4e00-\u9fff]/.test(x);
  const mine = parts.find((x) => cjk(x) === zh);
  return mine || s;
}
const plot = (el, data, layout) => window.Plotly && Plotly.newPlot(el, data,
  Object.assign({ margin: { l: 60, r: 20, t: 10, b: 40 }, font: { family: "system-ui, 'Noto Sans CJK SC', sans-serif", size: 12 },
                  legend: { orientation: "h" } }, layout), { displaylogo: false, responsive: true });

function whenPlotly(fn) { if (window.Plotly) fn(); else window.addEventListener("load", fn); }

// ---- chart units: tonnes in 万吨 (zh) or in tonnes (en), with separators, never Plotly's SI "1.5M" ----
const T_SCALE = zh ? 1e4 : 1;
const UNIT = zh ? { co2: "万吨二氧化碳", tce: "万吨标准煤", tce1: "吨标准煤" } : { co2: "tCO2", tce: "tce", tce1: "tce" };
const scaled = (arr) => arr.map((v) => (v === null || v === undefined ? null : v / T_SCALE));
const numAxis = (title, extra) => Object.assign({ title: { text: title }, tickformat: ",.2~f", hoverformat: ",.2~f",
  exponentformat: "none", automargin: true, zerolinecolor: "#8795a1" }, extra || {});
// years as integers (never "2,020"): one tick a year where there is room, else every 2 or 5 years
const yearAxis = (el) => ({ tickformat: "d", dtick: el.clientWidth < 480 ? 5 : el.clientWidth < 760 ? 2 : 1 });
// ranges for two y axes whose zero lines coincide (a negative series on one, a positive one on the other)
function zeroAligned(a, b) {
  const fin = (v) => v.filter(Number.isFinite);
  const lo = (v) => Math.min(0, ...fin(v)), hi = (v) => Math.max(0, ...fin(v));
  const [a0, a1, b0, b1] = [lo(a), hi(a), lo(b), hi(b)];
  const below = Math.max(a1 ? -a0 / a1 : 0, b1 ? -b0 / b1 : 0); // the part below zero, as a share of the part above
  const pad = 1.08;
  return [[-below * a1 * pad, a1 * pad], [-below * b1 * pad, b1 * pad]];
}
// a note under a chart (e.g. why a total is negative); replaced on each redraw
function chartNote(el, text) {
  let p = el.parentNode.querySelector(`.chart-note[data-for="${el.id}"]`);
  if (!text) { if (p) p.remove(); return; }
  if (!p) { p = document.createElement("p"); p.className = "sub chart-note"; p.dataset.for = el.id; el.after(p); }
  p.textContent = text;
}
const NEGATIVE_NOTE = zh
  ? "含电力调入调出口径的排放为负值：本县是电力净调出地区，净调出电量按电网平均排放因子抵扣，抵扣量大于本县属地直接排放。属地口径（直接排放）不受影响。"
  : "The total with electricity is negative: the county is a net exporter of electricity, and the exported electricity is credited at the grid's average emission factor, which is more than the county's direct (territorial) emissions. The territorial total is not affected.";

// ---- the menu button (narrow screens): opens and closes the navigation; Escape closes it ----------
const menuBtn = document.getElementById("menu-toggle");
if (menuBtn) {
  const top = menuBtn.closest("header");
  const setMenu = (open) => { top.classList.toggle("open", open); menuBtn.setAttribute("aria-expanded", String(open)); };
  menuBtn.addEventListener("click", () => setMenu(menuBtn.getAttribute("aria-expanded") !== "true"));
  document.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && top.classList.contains("open")) { setMenu(false); menuBtn.focus(); }
  });
}

// ---- file inputs: the browser's own button and "no file chosen" speak the browser's language, ----
// not the page's; each gets a button and a file name in the page's language (the input stays, hidden
// but focusable, so forms, validation and tests use it as before)
const NO_FILE = zh ? "未选择文件" : "No file chosen";
document.querySelectorAll('input[type="file"]').forEach((input) => {
  const pick = document.createElement("span");
  pick.className = "file-pick";
  const btn = document.createElement("button");
  btn.type = "button"; btn.textContent = zh ? "选择文件" : "Choose file";
  const name = document.createElement("span");
  name.className = "file-name"; name.textContent = NO_FILE;
  input.before(pick);
  pick.append(input, btn, name);
  input.classList.add("file-native");
  input.tabIndex = -1;  // the button takes the focus instead
  btn.addEventListener("click", () => input.click());
  const show = () => { name.textContent = input.files && input.files.length ? input.files[0].name : NO_FILE; };
  input.addEventListener("change", show);
  if (input.form) input.form.addEventListener("reset", () => setTimeout(show));
});

// ---- sign in / out, own password ----------------------------------------------------------------
// A path on this site only (the server's web/pages.py safe_path does the same): one leading "/",
// no "//", no backslash, no whitespace or control character; anything else goes to "/".
const safePath = (p) => (typeof p === "string" && p.startsWith("/") && !p.startsWith("//") && !p.includes("\\")
  && !/[\s\u0000-\u001f\u007f-\u009f]/.test(p)) ? p : "/";
const loginForm = document.getElementById("login-form");
if (loginForm) loginForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = new FormData(loginForm);
  try {
    const body = { username: f.get("username"), password: f.get("password") };
    if (f.get("county")) body.county = f.get("county");  // a deployment of several counties
    await api("POST", "/api/auth/login", body);
    location.href = safePath(loginForm.dataset.next);
  } catch (err) {
    const p = document.getElementById("login-error"); p.hidden = false; p.textContent = errorText(err);
  }
});
const logout = document.getElementById("logout");
if (logout) logout.addEventListener("click", async () => { await api("POST", "/api/auth/logout"); location.href = "/"; });
const pwForm = document.getElementById("password-form");
if (pwForm) pwForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = new FormData(pwForm), msg = document.getElementById("password-msg");
  msg.hidden = false; msg.className = "error";
  if (f.get("new_password") !== f.get("new_password_again")) { msg.textContent = pwForm.dataset.mismatch; return; }
  try {
    await api("POST", "/api/auth/password", { current_password: f.get("current_password"), new_password: f.get("new_password") });
    pwForm.reset(); msg.className = "ok"; msg.textContent = pwForm.dataset.done;
  } catch (err) { msg.textContent = errorText(err); }
});
// a select that submits its form on change (instead of an inline onchange handler: see the CSP)
document.querySelectorAll("select[data-autosubmit]").forEach((el) => el.addEventListener("change", () => el.form.submit()));

// ---- overview: trend ------------------------------------------------------------------------
const trend = document.getElementById("trend");
if (trend) whenPlotly(() => {
  const s = JSON.parse(trend.dataset.series || "[]");
  const x = s.map((r) => String(r.year) + (r.illustrative ? "*" : ""));
  const energy = scaled(s.map((r) => r["energy_total:raw"]));
  const terr = scaled(s.map((r) => r["co2_total:territorial"])), withEl = scaled(s.map((r) => r["co2_total:with_electricity"]));
  const [r1, r2] = zeroAligned(energy, [...terr, ...withEl]);
  const hov = (u) => `%{y:,.2f} ${u}<extra>%{fullData.name}</extra>`;
  plot(trend, [
    { x, y: energy, name: zh ? "能源消费量" : "energy use", type: "bar", marker: { color: "#9cc9b9" }, hovertemplate: hov(UNIT.tce) },
    { x, y: terr, name: zh ? "二氧化碳排放（属地）" : "CO2, territorial", type: "scatter", mode: "lines+markers", yaxis: "y2", line: { color: "#0f6e56" }, hovertemplate: hov(UNIT.co2) },
    { x, y: withEl, name: zh ? "二氧化碳排放（含电力调入调出）" : "CO2 with electricity", type: "scatter", mode: "lines+markers", yaxis: "y2", line: { color: "#d64541", dash: "dot" }, hovertemplate: hov(UNIT.co2) },
  ], { yaxis: numAxis(zh ? "能源消费量（万吨标准煤）" : "energy use (tce)", { range: r1 }),
       yaxis2: numAxis(zh ? "二氧化碳排放（万吨）" : "CO2 (tCO2)", { overlaying: "y", side: "right", range: r2, showgrid: false, tickmode: "auto" }),
       xaxis: { type: "category" }, margin: { l: 60, r: 60, t: 10, b: 40 } });
  chartNote(trend, withEl.some((v) => v < 0) ? NEGATIVE_NOTE : "");
});

// ---- accounting: sankey and drill-down ---------------------------------------------------------
const sankey = document.getElementById("sankey");
if (sankey) whenPlotly(() => {
  const flows = JSON.parse(sankey.dataset.flows || "[]");
  const nodes = [...new Set(flows.flatMap((f) => [f.source, f.target]))];
  // tall enough for one label a node on the fuller side (labels never overlap), largest first
  const side = (k) => new Set(flows.map((f) => f[k])).size;
  const height = Math.max(380, 34 * Math.max(side("source"), side("target")));
  plot(sankey, [{ type: "sankey", arrangement: "snap", valueformat: ",.0f", valuesuffix: ` ${UNIT.tce1}`, textfont: { size: 11 },
                  node: { label: nodes, pad: 20, thickness: 14, hovertemplate: `%{label}<br>%{value:,.0f} ${UNIT.tce1}<extra></extra>` },
                  link: { source: flows.map((f) => nodes.indexOf(f.source)), target: flows.map((f) => nodes.indexOf(f.target)),
                          value: flows.map((f) => f.value),
                          hovertemplate: `%{source.label} → %{target.label}<br>%{value:,.0f} ${UNIT.tce1}<extra></extra>` } }],
       { height, margin: { l: 6, r: 6, t: 6, b: 6 } });
});
const drill = document.getElementById("drill");
// codes of the drill-down (parameters, statuses, units) by name in the reader's language (web/labels.py)
const named = (code) => ((drill && JSON.parse(drill.dataset.labels || "{}")) || {})[code] ?? code;
async function drillDown(sector, carrier) {
  const params = new URLSearchParams({ lang: LANG });
  if (sector) params.set("sector", sector);
  if (carrier) params.set("carrier", carrier);
  const d = await api("GET", `/api/inventory/${drill.dataset.year}?${params}`);
  drill.hidden = false;
  document.getElementById("drill-title").textContent = [sector, carrier].filter(Boolean).join(" · ") || (zh ? "全部" : "all");
  document.querySelector("#lines tbody").innerHTML = d.lines.map((l) => `
    <tr data-row="${l.row}"><td>${l.row}</td><td>${esc(l.sector)}</td><td>${esc(l.carrier)}</td>
    <td class="num">${fmt(l.quantity, 4)} ${esc(named(l.unit))}${l.illustrative ? '<sup class="ill">*</sup>' : ""}</td>
    <td class="num">${fmt(l.energy_tce)}</td><td class="num">${fmt(l.co2_t)}</td>
    <td>${l.factors.map((f) => `<span class="factor"><b>${esc(f.id)}</b> ${esc(named(f.parameter))} = ${f.value} ${esc(named(f.unit))} ·
      <span class="status-${esc(f.status)}">${esc(named(f.status))}</span> · <span class="factor-source">${esc(f.source)}</span> ${esc(f.table)}</span>`).join("")}</td></tr>`).join("");
  drill.scrollIntoView({ behavior: "smooth" });
}
if (drill) {
  document.querySelectorAll("[data-drill-sector]").forEach((tr) => tr.addEventListener("click", () => drillDown(tr.dataset.drillSector, null)));
  document.querySelectorAll("[data-drill-carrier]").forEach((tr) => tr.addEventListener("click", () => drillDown(null, tr.dataset.drillCarrier)));
  document.querySelectorAll("[data-drill]").forEach((c) => c.addEventListener("click", () => drillDown(null, null)));
}

// ---- targets: trajectory -------------------------------------------------------------------
async function showTrajectory(id) {
  document.querySelectorAll("[data-trajectory]").forEach((r) => r.classList.toggle("selected", r.dataset.trajectory === id));
  const d = await api("GET", `/api/targets/${encodeURIComponent(id)}/trajectory?lang=${LANG}`);
  document.getElementById("traj-title").textContent = `${d.target.id} ${d.target.name}`;
  const colors = { green: "#2e9d4f", yellow: "#e0a800", red: "#d64541", grey: "#b7c0ca" };
  plot(document.getElementById("trajectory"), [
    { x: d.path.map((p) => p.year), y: d.path.map((p) => p.value), name: zh ? "时序路径" : "path", mode: "lines", line: { dash: "dash", color: "#5f6b7a" } },
    { x: d.points.map((p) => p.year), y: d.points.map((p) => p.actual), name: zh ? "实际" : "actual", mode: "lines+markers",
      marker: { size: 11, color: d.points.map((p) => colors[p.light]) }, line: { color: "#0f6e56" } },
    ...(d.target.target_value !== null ? [{ x: [d.target.target_year], y: [d.target.target_value], name: zh ? "目标" : "target", mode: "markers", marker: { symbol: "star", size: 14, color: "#0f6e56" } }] : []),
  ], { yaxis: numAxis(d.target.unit), xaxis: yearAxis(document.getElementById("trajectory")) });
}
const traj = document.getElementById("trajectory");
if (traj) {
  document.querySelectorAll("[data-trajectory]").forEach((tr) => tr.addEventListener("click", () => showTrajectory(tr.dataset.trajectory)));
  whenPlotly(() => showTrajectory((location.hash || "#T02").slice(1)));
}

// ---- projects: capacity chart and edits ------------------------------------------------------
const cap = document.getElementById("capacity");
if (cap) whenPlotly(() => {
  const c = JSON.parse(cap.dataset.capacity);
  const years = [...new Set(Object.values(c.planned).flatMap((o) => Object.keys(o)))].sort();
  const typeNames = Object.fromEntries([...document.querySelectorAll("select[name=type] option")].map((o) => [o.value, o.textContent.trim()]));
  const traces = Object.entries(c.planned).map(([type, byYear]) => ({ type: "bar", name: (c.type_names || {})[type] || typeNames[type] || type,
    x: years, y: years.map((y) => byYear[y] || 0), hovertemplate: `%{y:,.2f} ${c.unit}<extra>%{fullData.name}</extra>` }));
  const shapes = c.target ? [{ type: "line", xref: "paper", x0: 0, x1: 1, y0: c.target.value, y1: c.target.value, line: { color: "#d64541", dash: "dash" } }] : [];
  const ann = c.target ? [{ xref: "paper", x: 0, y: c.target.value, text: `${c.target.name} ${c.target.value} ${c.target.unit} (${c.target.year})`, showarrow: false, yanchor: "bottom", xanchor: "left" }] : [];
  plot(cap, traces, { barmode: "stack", yaxis: numAxis(c.unit), xaxis: { type: "category" }, shapes, annotations: ann });
});
function rowValues(tr) {
  const out = {};
  tr.querySelectorAll("input, select, textarea").forEach((el) => {
    if (el.type === "number") out[el.name] = el.value === "" ? null : Number(el.value);
    else if (el.type === "date") out[el.name] = el.value === "" ? null : el.value;
    else out[el.name] = el.value;
  });
  return out;
}
async function saveRow(btn, url) {
  const tr = btn.closest("tr");
  btn.disabled = true;
  try { await api("PATCH", url, rowValues(tr)); btn.textContent = zh ? "已保存" : "Saved"; btn.classList.add("ok"); }
  catch (err) { alert(errorText(err)); btn.disabled = false; }
}
document.querySelectorAll(".save-project").forEach((b) => b.addEventListener("click", () => saveRow(b, `/api/projects/${b.closest("tr").dataset.project}`)));
document.querySelectorAll(".save-task").forEach((b) => b.addEventListener("click", () => saveRow(b, `/api/tasks/${b.closest("tr").dataset.task}`)));
document.querySelectorAll("tr[data-project] input, tr[data-project] select, tr[data-task] input, tr[data-task] select, tr[data-task] textarea")
  .forEach((el) => el.addEventListener("input", () => { const b = el.closest("tr").querySelector("button"); b.disabled = false; b.textContent = zh ? "保存" : "Save"; }));

// ---- data: validate, then import -------------------------------------------------------------
const uform = document.getElementById("upload-form");
if (uform) {
  const report = document.getElementById("upload-report");
  const importBtn = document.getElementById("import-btn");
  const send = async (url) => {
    const fd = new FormData(uform);
    if (!fd.get("kind")) fd.delete("kind");
    return api("POST", url, fd, true);
  };
  // warnings about accepted rows (year-on-year jumps): the file is valid, but worth a look
  const warnings = (r) => (r.findings && r.findings.length ? `<div class="report warning" id="upload-warnings"><p>${
    zh ? "提示：以下数据同比变化异常，请核对（不影响导入）" : "Check these year-on-year changes (the import is not affected):"}</p><ul>${
    r.findings.map((f) => `<li data-code="${esc(f.code)}" data-row="${esc(String((f.data || {}).row ?? ""))}">${esc(f.message)}</li>`).join("")}</ul></div>` : "");
  document.getElementById("upload-file").addEventListener("change", () => { importBtn.disabled = true; report.innerHTML = ""; });
  document.getElementById("validate-btn").addEventListener("click", async () => {
    importBtn.disabled = true;
    try {
      const r = await send("/api/uploads/validate");
      report.innerHTML = `<p class="ok" id="validation-ok">${zh ? `校验通过：将新增 ${r.inserted} 行、更新 ${r.updated} 行、不变 ${r.unchanged} 行。尚未写入。`
        : `Valid: would insert ${r.inserted}, update ${r.updated}, leave ${r.unchanged}. Nothing written yet.`}</p>${warnings(r)}`;
      importBtn.disabled = false;
    } catch (err) {
      const d = (err.data && err.data.detail) || [];
      report.innerHTML = `<div class="report error" id="validation-errors"><p>${zh ? "文件被拒绝，未写入任何数据：" : "File rejected, nothing written:"}</p><ul>${
        Array.isArray(d) ? d.map((x) => `<li data-row="${x.row ?? ""}" data-column="${esc(x.column ?? "")}">${esc(x.msg)}</li>`).join("") : `<li>${esc(d)}</li>`}</ul>${
        err.data && err.data.issues_note ? `<p id="issues-note">${esc(err.data.issues_note)}</p>` : ""}</div>`;
    }
  });
  importBtn.addEventListener("click", async () => {
    importBtn.disabled = true;
    try {
      const r = await send("/api/uploads");
      report.innerHTML = `<p class="ok" id="import-ok">${zh ? `已导入：新增 ${r.inserted} 行、更新 ${r.updated} 行、不变 ${r.unchanged} 行。` : `Imported: inserted ${r.inserted}, updated ${r.updated}, unchanged ${r.unchanged}.`}</p>${warnings(r)}`;
    } catch (err) { report.innerHTML = `<p class="error">${esc(errorText(err))}</p>`; }
  });
}

// ---- scenarios: fan charts, wedges, LMDI, lever editor ----------------------------------------
const scen = document.getElementById("scenario");
function fan(el, d, key, histKey) {
  const y = d.years, b = d[key];
  const hist = histKey ? Object.entries(d.history).map(([k, v]) => [Number(k), v]) : [];
  const hov = `%{y:,.2f} ${UNIT.co2}<extra>%{fullData.name}</extra>`;
  plot(el, [
    ...(hist.length ? [{ x: hist.map((h) => h[0]), y: scaled(hist.map((h) => h[1])), name: zh ? "历史" : "history", mode: "lines+markers", line: { color: "#1d2733" }, hovertemplate: hov }] : []),
    { x: y, y: scaled(b.p90), name: zh ? "90%分位" : "90th percentile", mode: "lines", line: { width: 0 }, showlegend: false, hovertemplate: hov },
    { x: y, y: scaled(b.p10), name: zh ? "10%–90%分位区间" : "10th–90th percentile", mode: "lines", fill: "tonexty", fillcolor: "rgba(15,110,86,0.18)", line: { width: 0 }, hovertemplate: hov },
    { x: y, y: scaled(b.p50), name: zh ? "中位数" : "median", mode: "lines", line: { color: "#0f6e56", width: 3 }, hovertemplate: hov },
    ...(histKey && d.net_emissions_t ? [{ x: y, y: scaled(d.net_emissions_t.p50), name: zh ? "净排放中位数（扣除森林碳汇）" : "net of forest sink, median", mode: "lines", line: { color: "#2e9d4f", dash: "dash" }, hovertemplate: hov }] : []),
  ], { yaxis: numAxis(zh ? "二氧化碳排放（万吨）" : "CO2 (tCO2)"), xaxis: yearAxis(el) });
  chartNote(el, key === "co2_with_electricity_t" && b.p50.some((v) => v < 0) ? NEGATIVE_NOTE : "");
}
// the wedges against the parent scenario: cuts stacked up from zero, measures that add emissions
// stacked down from zero, each in one colour and in one order (largest first), so no area crosses another
function wedgeTraces(w) {
  const lab = (k) => ((w.labels || {})[k] || {})[zh ? "zh" : "en"] || k;
  const sum = (v) => v.reduce((a, b) => a + Math.abs(b), 0);
  const keys = Object.keys(w.wedges).filter((k) => w.wedges[k].some((v) => v)).sort((a, b) => sum(w.wedges[b]) - sum(w.wedges[a]));
  const palette = ["#0f6e56", "#4e9f3d", "#9cc9b9", "#1f77b4", "#e0a800", "#8c6bb1", "#17becf", "#7f7f7f", "#bcbd22"];
  const hov = `%{y:,.2f} ${UNIT.co2}<extra>%{fullData.name}</extra>`;
  const out = [];
  keys.forEach((k, i) => {
    const v = scaled(w.wedges[k]), color = palette[i % palette.length];
    const base = { x: w.years, mode: "lines", line: { width: 0.5, color }, fillcolor: color, legendgroup: k, hovertemplate: hov };
    if (v.some((x) => x > 0)) out.push({ ...base, y: v.map((x) => Math.max(x, 0)), name: lab(k), stackgroup: "cut" });
    if (v.some((x) => x < 0)) out.push({ ...base, y: v.map((x) => Math.min(x, 0)), name: lab(k) + (zh ? "（增加排放）" : " (adds emissions)"), stackgroup: "add", fillcolor: "rgba(214,69,65,0.55)", line: { width: 0.5, color: "#d64541" } });
  });
  return out;
}
function renderScenario(d) {
  // the peak texts come from the service (domain/peaks.py), the same on every surface
  const py = d.peak_year_text[zh ? "zh" : "en"];
  document.getElementById("peak-year").textContent = `${py.p10} /\n${py.p50} /\n${py.p90}`;
  document.getElementById("peak-value").textContent = d.peak_value_t === null ? py.p50 : fmt(d.peak_value_t, 0);
  document.getElementById("p-peak").textContent = (100 * d.p_peak_by_2030).toFixed(1) + "%";
  document.getElementById("p-peak").dataset.value = d.p_peak_by_2030;
  document.getElementById("p-not-peaked").textContent = (100 * d.p_not_peaked).toFixed(1) + "%";
  document.getElementById("p-not-peaked").dataset.value = d.p_not_peaked;
  document.getElementById("not-peaked-note").textContent = zh ? `至${d.horizon}年` : `by ${d.horizon}`;
  document.getElementById("peak-rule").textContent = d.peak_rule[zh ? "zh" : "en"];
  document.getElementById("draws").textContent = `${fmt(d.draws, 0)} ${zh ? "次抽样" : "draws"} · ${zh ? "随机种子" : "seed"} ${d.seed} · ${(d.lineage_names || d.lineage.map((n) => ({ zh: n, en: n }))).map((n) => n[zh ? "zh" : "en"]).join(" → ")}`;
  document.getElementById("peak-note").textContent = `${zh ? "平台容差" : "plateau tolerance"} ${+(100 * d.plateau_tolerance).toFixed(2)}% · ${zh ? `末段${d.peak_window_years}年` : `last ${d.peak_window_years} years`} · ${d.perspective_name ? d.perspective_name[zh ? "zh" : "en"] : d.perspective}`;
  fan(document.getElementById("fan"), d, "co2_territorial_t", true);
  fan(document.getElementById("fan-el"), d, "co2_with_electricity_t", false);
  document.querySelector("#checks tbody").innerHTML = d.target_checks.map((c) =>
    `<tr><td>${esc(c.id)} ${esc(c.name)}</td><td>${c.year}</td><td>${esc(c.direction)} ${c.target} ${esc(c.unit)}</td><td class="num">${fmt(c.median)}</td><td class="num">${(100 * c.p_met).toFixed(0)}%</td></tr>`).join("");
  const w = d.wedges;
  const wedgeEl = document.getElementById("wedges");
  plot(wedgeEl, wedgeTraces(w), { yaxis: numAxis(zh ? "减排量（万吨二氧化碳）" : "reduction (tCO2)", { zerolinewidth: 2 }), xaxis: yearAxis(wedgeEl) });
  chartNote(wedgeEl, zh ? "相对上级情景的减排量：零线以上为减排，零线以下为增加排放的措施；全期为零的措施不绘出。"
    : "Reductions against the parent scenario: above zero a cut, below zero a measure that adds emissions; measures that are zero throughout are not drawn.");
  const bars = [];
  for (const [part, label] of [["history", zh ? "历史" : "history"], ["vs_parent", zh ? "相对上级情景" : "vs parent"]]) {
    const x = d.decomposition[part];
    if (!x) continue;
    const e = x.effects, keys = ["activity", "energy_intensity", "carbon_intensity"];
    bars.push({ type: "bar", name: x.label ? x.label[zh ? "zh" : "en"] : `${label} ${x.from ?? ""}→${x.to ?? x.year}`, hovertemplate: `%{y:,.2f} ${UNIT.co2}<extra>%{fullData.name}</extra>`, x: keys.map((k) => ({ activity: zh ? "经济活动" : "activity", energy_intensity: zh ? "能耗强度" : "energy intensity", carbon_intensity: zh ? "碳强度" : "carbon intensity" }[k])), y: scaled(keys.map((k) => e[k])) });
  }
  plot(document.getElementById("lmdi"), bars, { barmode: "group", yaxis: numAxis(zh ? "排放变化（万吨二氧化碳）" : "change in CO2 (tCO2)", { zerolinewidth: 2 }) });
}
if (scen) {
  whenPlotly(async () => renderScenario(await api("GET", `/api/scenarios/${scen.dataset.name}?draws=10000`)));
  const form = document.getElementById("levers");
  if (form) {
    form.querySelectorAll("input[type=range]").forEach((el) => el.addEventListener("input", () => {
      form.querySelector(`[data-out="${el.name}"]`).textContent = (Number(el.value) * Number(el.dataset.scale || 1)).toFixed(Number(el.dataset.digits ?? 3)) + " " + (el.dataset.unit || "");
    }));
    document.getElementById("run-edit").addEventListener("click", async () => {
      const body = { switch_rates: {}, draws: 5000 };
      form.querySelectorAll("input[type=range]").forEach((el) => {
        if (el.name.startsWith("switch:")) body.switch_rates[el.name.slice(7)] = Number(el.value);
        else body[el.name] = Number(el.value);
      });
      try {
        const d = await api("POST", `/api/scenarios/${scen.dataset.name}/edit`, body);
        renderScenario(d);
        const a = document.getElementById("spec-download");
        a.href = URL.createObjectURL(new Blob([d.spec_toml], { type: "application/toml" }));
        a.hidden = false;
      } catch (err) { alert(errorText(err)); }
    });
  }
}

// ---- monitoring: monthly energy by unit, tokens ------------------------------------------------
const monthly = document.getElementById("monthly-chart");
if (monthly) whenPlotly(() => {  // the largest units one series each, the others summed (services: monthly_energy)
  const d = JSON.parse(monthly.dataset.monthly);
  const bar = (name, y) => ({ x: d.months, y, name, type: "bar", hovertemplate: `%{y:,.0f} ${UNIT.tce1}<extra>%{fullData.name}</extra>` });
  const traces = d.units.map((u) => bar(u.name, u.energy_tce));
  if (d.others) traces.push(bar(zh ? `其他${d.others}家单位` : `${d.others} other units`, d.others_tce));
  plot(monthly, traces,
       { barmode: "stack", yaxis: numAxis(zh ? "能耗（吨标准煤）" : "energy (tce)", { tickformat: ",.0f" }),
         xaxis: { type: "date", dtick: monthly.clientWidth < 480 ? "M2" : "M1", tickangle: 0,  // a phone: every other month, upright
                  tickformat: zh ? "%-m月" : "%b", hoverformat: zh ? "%Y年%-m月" : "%b %Y" } });
});
document.querySelectorAll("button.new-token").forEach((b) => b.addEventListener("click", async () => {
  const out = document.getElementById("token-out");
  try {
    const r = await api("POST", `/api/monitoring/units/${encodeURIComponent(b.dataset.uscc)}/token`);
    out.hidden = false;
    out.textContent = (zh ? "新令牌（只显示一次，请交给企业网关）：" : "New token (shown once; give it to the unit's gateway): ") + r.token;
  } catch (err) { out.hidden = false; out.textContent = errorText(err); }
}));

// ---- reports: the assessment with a progress bar; sortable tables --------------------------------
const reportForm = document.getElementById("report-form");
if (reportForm) reportForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const year = new FormData(reportForm).get("year");
  const box = document.getElementById("report-progress"), bar = box.querySelector("progress");
  const step = document.getElementById("report-step"), links = document.getElementById("report-links");
  const missing = document.getElementById("report-missing");
  links.hidden = true; missing.innerHTML = ""; box.hidden = false; bar.value = 0;
  document.getElementById("report-start").disabled = true;
  try {
    const { job } = await api("POST", `/api/reports?year=${encodeURIComponent(year)}`);
    for (;;) {
      const st = await api("GET", `/api/reports/${job}`);
      bar.max = st.total; bar.value = st.done;
      step.textContent = `${st.done}/${st.total} ${st.label || ""}`;
      if (st.finished) {
        if (st.error) throw Object.assign(new Error(st.error), { data: { detail: st.error } });
        links.hidden = false;
        links.innerHTML = st.files.map((f) => `<a href="/api/reports/${job}/${f}" data-format="${f}">${esc(year)} ${f === "docx" ? "Word" : "Excel"}</a>`).join(" · ");
        missing.innerHTML = (st.missing || []).map((m) => `<li>${esc(m)}</li>`).join("");
        break;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
  } catch (err) {
    step.textContent = errorText(err);
  } finally {
    document.getElementById("report-start").disabled = false;
  }
});
const templateForm = document.getElementById("template-form");
if (templateForm) templateForm.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const file = templateForm.querySelector("input[type=file]").files[0];
  const out = document.getElementById("template-result");
  if (!file) return;
  try {
    await api("PUT", "/api/reports/template", file, true);
    out.textContent = zh ? "模板已保存：之后生成的报告使用该模板。" : "Template stored: reports written from now on use it.";
  } catch (err) {
    out.textContent = errorText(err);
  }
});
document.querySelectorAll("table.sortable th[data-sort]").forEach((th, idx) => th.addEventListener("click", () => {
  const table = th.closest("table"), body = table.tBodies[0];
  const col = [...th.parentNode.children].indexOf(th), num = th.dataset.sort === "num";
  const dir = th.dataset.dir === "asc" ? -1 : 1;
  th.parentNode.querySelectorAll("th").forEach((h) => delete h.dataset.dir);
  th.dataset.dir = dir === 1 ? "asc" : "desc";
  const key = (tr) => { const v = tr.children[col].textContent.trim(); return num ? Number(v) : v; };
  [...body.rows].sort((a, b) => (key(a) > key(b) ? 1 : key(a) < key(b) ? -1 : 0) * dir).forEach((tr) => body.appendChild(tr));
}));

// ---- county quotas: an administrator sets constraint and guide values with their document -------
document.querySelectorAll("#quota-table button.save-quota").forEach((b) => b.addEventListener("click", async () => {
  const tr = b.closest("tr"), msg = document.getElementById("quota-msg");
  const get = (n) => tr.querySelector(`[name=${n}]`).value;
  const base = { kind: "building_quota", carrier: tr.dataset.type, geography: tr.dataset.zone, unit: "kWh/m2",
                 source_document: get("source").trim(), status: "confirmed" };
  try {
    await api("PUT", "/api/factors/county", [
      { ...base, parameter: "constraint", value: Number(get("constraint")) },
      { ...base, parameter: "guide", value: Number(get("guide")) }]);
    location.reload();
  } catch (err) { msg.hidden = false; msg.textContent = errorText(err); }
}));
