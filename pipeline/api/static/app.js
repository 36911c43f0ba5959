// The little JavaScript the web page needs: send corrections and review/verify actions to the
// JSON API (with the record version, for optimistic concurrency) and highlight a field's place
// on the page preview. Everything else is plain server-rendered HTML.
"use strict";

const HEADERS = { "Content-Type": "application/json", "X-Requested-With": "archivio" };

async function api(method, url, body) {
  const response = await fetch(url, { method, headers: HEADERS, credentials: "same-origin",
                                      body: body === undefined ? undefined : JSON.stringify(body) });
  let data = null;
  try { data = await response.json(); } catch (e) { /* not JSON */ }
  return { status: response.status, data };
}

function detail(data) {
  if (!data || data.detail === undefined) return "";
  if (typeof data.detail === "string") return data.detail;
  return data.detail.map((d) => d.msg || JSON.stringify(d)).join("; ");
}

function show(box, kind, text) {
  box.hidden = false;
  box.className = "alert " + kind;
  box.textContent = text;
}

function setupReview(form) {
  const message = document.getElementById("form-message");
  const docId = form.dataset.doc;
  const inputs = Array.from(form.querySelectorAll("tr.field input"));
  const classSelect = form.querySelector("select[name=class]");

  inputs.forEach((input) => input.addEventListener("input", () => {
    input.closest("tr").classList.toggle("changed", input.value !== input.dataset.original);
  }));

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const fields = {};
    inputs.forEach((input) => {
      if (!input.readOnly && input.value.trim() !== input.dataset.original) fields[input.name] = input.value.trim();
    });
    const body = { version: Number(form.dataset.version), fields, note: (form.querySelector("#note") || {}).value || "" };
    if (classSelect && classSelect.value !== classSelect.dataset.original) body["class"] = classSelect.value;
    if (!Object.keys(fields).length && !body["class"]) return;
    await send("PATCH", `/api/documents/${docId}`, body);
  });

  const reviewed = document.getElementById("mark-reviewed");
  if (reviewed) reviewed.addEventListener("click", () =>
    send("POST", `/api/documents/${docId}/reviewed`, { version: Number(form.dataset.version),
                                                       note: (form.querySelector("#note") || {}).value || "" }, true));

  async function send(method, url, body, isReview) {
    const buttons = form.querySelectorAll("button");
    buttons.forEach((b) => (b.disabled = true));
    show(message, "warn", form.dataset.working);
    try {
      const { status, data } = await api(method, url, body);
      if (status === 200) {
        const leftQueue = !isReview && form.dataset.needsReview === "true" && data && data.needs_review === false;
        show(message, "good", isReview ? form.dataset.reviewed
          : `${form.dataset.saved} ${data.version}` + (leftQueue ? ` — ${form.dataset.leftQueue}` : ""));
        setTimeout(() => window.location.reload(), leftQueue ? 1500 : 500);
        return;
      }
      if (status === 409) {
        show(message, "bad", form.dataset.conflict);
        const link = document.createElement("a");
        link.href = window.location.href;
        link.textContent = " ↻";
        message.appendChild(link);
      } else {
        show(message, "bad", detail(data) || `HTTP ${status}`);
      }
    } catch (error) {
      show(message, "bad", String(error));
    }
    buttons.forEach((b) => (b.disabled = false));
  }
}

function setupHighlights() {
  document.querySelectorAll("tr.field").forEach((row) => {
    const boxes = document.querySelectorAll(`.box[data-field="${row.dataset.field}"]`);
    if (!boxes.length) return;
    const on = (hot) => () => boxes.forEach((b) => b.classList.toggle("hot", hot));
    row.addEventListener("mouseenter", on(true));
    row.addEventListener("mouseleave", on(false));
    row.addEventListener("focusin", () => { on(true)(); boxes[0].scrollIntoView({ block: "nearest", behavior: "smooth" }); });
    row.addEventListener("focusout", on(false));
  });
}

function setupVerify(button) {
  const out = document.getElementById("verify-result");
  button.addEventListener("click", async () => {
    button.disabled = true;
    const { status, data } = await api("POST", `/api/documents/${button.dataset.doc}/verify`);
    button.disabled = false;
    if (status === 200 && data.ok) show(out, "good", out.dataset.ok);
    else if (status === 200) show(out, "bad", `${out.dataset.bad}: ${data.problem}`);
    else show(out, "bad", detail(data) || `HTTP ${status}`);
  });
}

function setupFilters() {
  // Empty fields would clutter the address; drop them before the form is sent.
  const form = document.getElementById("filter-form");
  if (form) form.addEventListener("submit", () => {
    Array.from(form.elements).forEach((el) => { if (el.name && !el.value) el.disabled = true; });
  });
}

function setupUpload(form) {
  // Drag and drop or choose several files; each goes through the inbox's own intake on the server.
  const input = form.querySelector("input[type=file]");
  const list = document.getElementById("upload-results");
  async function send(files) {
    if (!files.length) return;
    const body = new FormData();
    Array.from(files).forEach((f) => body.append("files", f, f.name));
    form.classList.add("busy");
    const response = await fetch("/api/upload", { method: "POST", body, credentials: "same-origin",
                                                   headers: { "X-Requested-With": "archivio" } });
    form.classList.remove("busy");
    let data = null;
    try { data = await response.json(); } catch (e) { /* not JSON */ }
    if (response.status !== 200) {
      const li = document.createElement("li");
      li.className = "rejected";
      li.textContent = detail(data) || `HTTP ${response.status}`;
      list.appendChild(li);
      return;
    }
    data.forEach((item) => {
      const li = document.createElement("li");
      li.className = item.outcome;
      li.dataset.file = item.filename;
      const said = form.dataset[item.outcome] || item.outcome;
      li.textContent = `${item.filename}: ${said}` + (item.outcome === "queued" ? "" : ` (${item.message})`);
      list.appendChild(li);
    });
  }
  input.addEventListener("change", () => send(input.files));
  form.addEventListener("dragover", (e) => { e.preventDefault(); form.classList.add("over"); });
  form.addEventListener("dragleave", () => form.classList.remove("over"));
  form.addEventListener("drop", (e) => { e.preventDefault(); form.classList.remove("over"); send(e.dataTransfer.files); });
  form.addEventListener("submit", (e) => e.preventDefault());
}

function setupBulk(form) {
  // Tag or reclassify the documents ticked in the list, through one API call.
  const picks = Array.from(document.querySelectorAll("input.pick"));
  const apply = document.getElementById("bulk-apply");
  const count = document.getElementById("picked");
  const message = document.getElementById("bulk-message");
  const chosen = () => picks.filter((p) => p.checked).map((p) => p.value);
  const update = () => { count.textContent = chosen().length; apply.disabled = !chosen().length; };
  picks.forEach((p) => p.addEventListener("change", update));
  document.getElementById("pick-all").addEventListener("change", (e) => {
    picks.forEach((p) => { p.checked = e.target.checked; });
    update();
  });
  const list = (text) => text.split(",").map((t) => t.trim()).filter(Boolean);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { ids: chosen(), add_tags: list(form.elements.add_tags.value),
                   remove_tags: list(form.elements.remove_tags.value) };
    if (form.elements["class"].value) body["class"] = form.elements["class"].value;
    apply.disabled = true;
    const { status, data } = await api("POST", "/api/documents/bulk", body);
    if (status !== 200) { message.textContent = detail(data) || `HTTP ${status}`; apply.disabled = false; return; }
    const failed = data.filter((d) => d.error);
    message.textContent = `${form.dataset.done} ${data.length - failed.length}` +
      (failed.length ? " — " + failed.map((d) => d.error).join("; ") : "");
    setTimeout(() => window.location.reload(), 800);
  });
}

// Searches saved before they lived on the server were kept in this browser: moved over once.
const OLD_SAVED_KEY = "archivio.savedSearches";

function setupSavedSearches(section) {
  // A person's own searches live on the server (/api/saved-searches): any browser shows them.
  const reload = () => window.location.reload();
  section.querySelectorAll("li.mine").forEach((li) => {
    li.querySelector("button.remove").addEventListener("click", async () => {
      const { status } = await api("DELETE", `/api/saved-searches/${li.dataset.id}`);
      if (status === 204) li.remove();
    });
    li.querySelector("button.rename").addEventListener("click", async () => {
      const link = li.querySelector("a");
      const name = (window.prompt(section.dataset.rename, link.textContent) || "").trim();
      if (!name || name === link.textContent) return;
      const { status, data } = await api("PATCH", `/api/saved-searches/${li.dataset.id}`, { name });
      if (status === 200) link.textContent = data.name; else window.alert(detail(data) || `HTTP ${status}`);
    });
  });
  section.querySelector("#save-search").addEventListener("submit", async (e) => {
    e.preventDefault();
    const name = e.target.elements.name.value.trim();
    if (!name) return;
    const { status, data } = await api("POST", "/api/saved-searches", { name, query: window.location.search });
    if (status === 201) reload(); else window.alert(detail(data) || `HTTP ${status}`);
  });
  let old = [];
  try { old = JSON.parse(localStorage.getItem(OLD_SAVED_KEY) || "[]"); } catch (e) { old = []; }
  if (Array.isArray(old) && old.length) {
    Promise.all(old.filter((i) => i && i.name).map((i) => api("POST", "/api/saved-searches",
      { name: String(i.name).slice(0, 60), query: String(i.href || "").replace(/^[^?]*/, "") })))
      .then(() => { localStorage.removeItem(OLD_SAVED_KEY); reload(); });
  }
}

document.addEventListener("DOMContentLoaded", () => {
  const upload = document.getElementById("upload");
  if (upload) setupUpload(upload);
  const bulk = document.getElementById("bulk");
  if (bulk) setupBulk(bulk);
  const saved = document.getElementById("saved-searches");
  if (saved) setupSavedSearches(saved);
  const form = document.getElementById("review-form");
  if (form) setupReview(form);
  setupHighlights();
  const verify = document.getElementById("verify");
  if (verify) setupVerify(verify);
  setupFilters();
});
