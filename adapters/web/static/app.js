// Sake Sensei web chat. Plain JavaScript, no build step: it talks to the JSON API documented in
// README.md ("Web chat JSON API") and draws every part of a reply: text, cards, pictures, buttons, errors.

// Every word on the page comes from the server (core/texts.py, GET api/words): none are written here.
let WORDS = {};
let SHORTCUTS = [];
let MAX_TEXT = 4000;

const MAX_PHOTO = 10 * 1024 * 1024;
const SHRINK_OVER = 4 * 1024 * 1024; // bigger photos are shrunk in the browser before upload
const SHRINK_TO = 2560; // longest side, in pixels: plenty for reading a label

const $ = (id) => document.getElementById(id);
const log = $("log");
const form = $("composer");
const input = $("text");
const sendBtn = $("send");
const fileInput = $("file");

let lang = initialLanguage();
let attachment = null; // {file: Blob, name: string, url: string}
let busy = false;
let started = false; // true once the user has sent something (the welcome is then left alone)

// The word for `key` (core/texts.py "page.<key>"), with its {fields} filled in.
function t(key, fields = {}) {
  const value = WORDS[`page.${key}`] ?? "";
  return value.replace(/\{(\w+)\}/g, (m, name) => (name in fields ? String(fields[name]) : m));
}

async function loadWords(next) {
  const res = await fetch(`api/words?lang=${encodeURIComponent(next)}`, { credentials: "same-origin" });
  const data = await res.json();
  WORDS = data.words;
  SHORTCUTS = data.shortcuts;
  MAX_TEXT = data.max_text;
}

function initialLanguage() {
  const saved = localStorage.getItem("ss_lang");
  if (saved === "en" || saved === "ja") return saved;
  return (navigator.language || "en").toLowerCase().startsWith("ja") ? "ja" : "en";
}

// ---- elements ------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// Text with its web addresses made into links; everything else stays plain text (never HTML).
function richText(text) {
  const frag = document.createDocumentFragment();
  const re = /https?:\/\/[^\s<>()"'、。)]+/g;
  let last = 0;
  for (const m of text.matchAll(re)) {
    frag.append(text.slice(last, m.index));
    frag.append(el("a", { href: m[0], target: "_blank", rel: "noopener" , text: m[0] }));
    last = m.index + m[0].length;
  }
  frag.append(text.slice(last));
  return frag;
}

// Follow the conversation while the reader is at its end; leave them be if they scrolled up to read.
let following = true;
log.addEventListener("scroll", () => {
  following = log.scrollHeight - log.scrollTop - log.clientHeight < 120;
});

function scrollDown() {
  requestAnimationFrame(() => { log.scrollTop = log.scrollHeight; following = true; });
}

function addMessage(node) {
  log.append(node);
  scrollDown();
  // pictures arrive after the text: keep the end in view as they take their space
  for (const img of node.querySelectorAll("img")) {
    img.addEventListener("load", () => { if (following) scrollDown(); }, { once: true });
  }
  return node;
}

// ---- rendering a reply ---------------------------------------------------------------------

function actionButton(action, context, onChosen = null) {
  const classes = ["btn"];
  if (action.style === "primary") classes.push("primary");
  if (action.style === "danger") classes.push("danger");
  const button = el("button", {
    type: "button", class: classes.join(" "), "data-action": action.id, text: action.label,
    "aria-label": action.aria || null,
  });
  button.addEventListener("click", () => {
    if (onChosen) onChosen(button);
    sendAction(action.id, context ? `${action.label} · ${context}` : action.label);
  });
  return button;
}

// A group that answers one question (a rating, the reply's choices): one answer, then the group is done.
function answeredOnce(group) {
  return (button) => {
    for (const b of group.querySelectorAll("button")) b.disabled = true;
    button.setAttribute("aria-pressed", "true");
  };
}

function starsRow(rating, context) {
  const row = el("div", { class: "stars", role: "group", "aria-label": rating.label },
    el("span", { class: "label", text: rating.label }));
  rating.options.forEach((a, i) => {
    const n = i + 1; // the core sends stars 1 to 5, in that order
    row.append(actionButton({ ...a, aria: n === 1 ? t("star") : t("stars", { n }) }, context, answeredOnce(row)));
  });
  return row;
}

function renderCard(card) {
  const name = card.name;
  const where = [card.brewery, card.prefecture].filter(Boolean).join(" · ");
  const chart = card.chart_url
    ? el("img", { class: "chart", src: card.chart_url, alt: t("chart_alt", { name }), loading: "lazy", width: 260, height: 260 })
    : null;
  return el("article", { class: "card", "data-brand-id": card.brand_id, "aria-label": name },
    el("div", { class: "head" },
      el("div", {},
        el("h2", { lang: "ja", text: name }),
        card.name_romaji ? el("p", { class: "romaji", lang: "ja-Latn", text: card.name_romaji }) : null),
      card.match ? el("span", { class: "score", text: card.match }) : null),
    where ? el("p", { class: "where", lang: "ja", text: where }) : null,
    chart,
    card.flavor_words ? el("p", { class: "flavor-words", text: card.flavor_words }) : null,
    card.no_chart ? el("p", { class: "no-chart", text: card.no_chart }) : null,
    card.tags && card.tags.length ? el("ul", { class: "tags", lang: "ja" }, card.tags.map((tag) => el("li", { text: tag }))) : null,
    card.reason ? el("p", { class: "reason", text: card.reason }) : null,
    card.actions && card.actions.length ? el("div", { class: "actions" }, card.actions.map((a) => actionButton(a, name))) : null,
    card.rating ? starsRow(card.rating, name) : null);
}

// The core's form (the tasting note), drawn inline: its submit sends the values with the submit's action.
function renderForm(spec) {
  const node = el("form", { class: "reply-form", "aria-label": spec.title });
  node.append(el("h3", { text: spec.title }));
  if (spec.intro) node.append(el("p", { class: "intro", lang: "ja", text: spec.intro }));
  for (const f of spec.fields) {
    const id = `f-${newId().slice(0, 8)}-${f.name}`;
    let control;
    if (f.kind === "choice") {
      control = el("select", { id, name: f.name, required: !f.optional },
        el("option", { value: "", text: "—" }), f.options.map((o) => el("option", { value: o.value, text: o.label })));
    } else if (f.kind === "longtext") {
      control = el("textarea", { id, name: f.name, rows: 3, maxlength: f.max_length, required: !f.optional });
    } else {
      control = el("input", { id, name: f.name, type: "text", maxlength: f.max_length, required: !f.optional });
    }
    node.append(el("label", { for: id, text: f.label }), control);
  }
  const submit = el("button", { type: "submit", class: `btn${spec.submit.style === "primary" ? " primary" : ""}`, text: spec.submit.label });
  node.append(el("div", { class: "actions" }, submit));
  node.addEventListener("submit", (e) => {
    e.preventDefault();
    if (busy) return;
    const values = {};
    for (const [k, v] of new FormData(node).entries()) { if (String(v).trim()) values[k] = String(v); }
    for (const c of node.elements) c.disabled = true;
    const said = [spec.submit.label, spec.intro, values.notes].filter(Boolean).join(" · ");
    sendAction(spec.submit.id, said, values);
  });
  return node;
}

function renderReply(reply) {
  const isError = Boolean(reply.error);
  const node = el("article", { class: `msg bot${isError ? " error" : ""}`, "aria-label": t("sensei") });
  node.lang = reply.lang || lang;
  if (reply.text || isError) {
    const bubble = el("div", { class: "bubble" });
    if (isError) bubble.append(el("span", { class: "code", text: reply.error.code }));
    bubble.append(richText(reply.text || reply.error.message));
    node.append(bubble);
  }
  if (reply.images && reply.images.length) {
    node.append(el("div", { class: "reply-images" }, reply.images.map((img) => el("img", { src: img.url, alt: img.alt || "", loading: "lazy" }))));
  }
  if (reply.files && reply.files.length) {
    // a menu CSV export: a download link to the data: URL the server sent (never anything else)
    const links = reply.files.filter((f) => typeof f.url === "string" && f.url.startsWith("data:"));
    node.append(el("div", { class: "reply-files" }, links.map((f) => el("a", { href: f.url, download: f.filename || "file", text: `⬇ ${f.filename || "file"}` }))));
  }
  if (reply.cards && reply.cards.length) {
    node.append(el("div", { class: "cards" }, reply.cards.map(renderCard)));
  }
  if (reply.actions && reply.actions.length) {
    const row = el("div", { class: "actions choices" });
    row.append(...reply.actions.map((a) => actionButton(a, null, answeredOnce(row))));
    node.append(row);
  }
  if (reply.form) node.append(renderForm(reply.form));
  return addMessage(node);
}

function renderWelcome() {
  const old = log.querySelector(".welcome");
  const node = el("article", { class: "msg bot welcome", "aria-label": t("sensei") },
    el("div", { class: "bubble", text: t("welcome") }),
    el("div", { class: "suggestions" }, [t("suggestion1"), t("suggestion2"), t("suggestion3")].map((s) =>
      el("button", { type: "button", class: "chip", text: s, onclick: () => sendText(s) }))));
  if (old) old.replaceWith(node); else log.prepend(node);
}

function showUser(text, photoUrl) {
  const node = el("article", { class: "msg user", "aria-label": t("you") });
  if (photoUrl) {
    const img = el("img", { class: "photo", src: photoUrl, alt: t("photo_sent") });
    img.onerror = () => img.replaceWith(el("div", { class: "bubble", text: `📷 ${t("photo_sent")}` }));
    node.append(img);
  }
  if (text) node.append(el("div", { class: "bubble", text }));
  return addMessage(node);
}

function showError(text) {
  renderReply({ text, lang, error: null, cards: [], actions: [], images: [] }).classList.add("error");
}

function showThinking() {
  return addMessage(el("div", { class: "msg bot typing", role: "status" },
    el("div", { class: "bubble" }, el("span", { class: "visually-hidden", text: t("thinking") }),
      el("span", { class: "dots", "aria-hidden": "true" }, el("span"), el("span"), el("span")))));
}

// ---- talking to the server -----------------------------------------------------------------

function newId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16)); // randomUUID needs a secure context; this does not
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function post(path, body) {
  // The same id on a retry lets the server run the turn once even if the first answer was lost.
  const isForm = body instanceof FormData;
  const init = {
    method: "POST", credentials: "same-origin",
    headers: isForm ? {} : { "Content-Type": "application/json", Accept: "application/json" },
    body: isForm ? body : JSON.stringify(body),
  };
  let lastError;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const res = await fetch(path, init);
      const data = await res.json().catch(() => null);
      if (data && typeof data === "object") return data;
      throw new Error(`HTTP ${res.status}`);
    } catch (e) {
      lastError = e;
      await new Promise((r) => setTimeout(r, 800));
    }
  }
  throw lastError;
}

async function turn(path, body) {
  setBusy(true);
  const thinking = showThinking();
  try {
    const reply = await post(path, body);
    thinking.remove();
    if (!reply.duplicate) renderReply(reply);
  } catch (e) {
    thinking.remove();
    showError(t("network"));
  } finally {
    setBusy(false);
  }
}

function setBusy(value) {
  busy = value;
  sendBtn.disabled = value;
  log.setAttribute("aria-busy", value ? "true" : "false");
}

function sendText(text) {
  if (busy || !text.trim()) return;
  started = true;
  showUser(text);
  return turn("api/chat", { text, lang, id: newId() });
}

function sendAction(action, said, values = null) {
  if (busy) return;
  started = true;
  showUser(said);
  return turn("api/action", values ? { action, values, lang, id: newId() } : { action, lang, id: newId() });
}

async function sendPhoto(text) {
  if (busy || !attachment) return;
  started = true;
  const { file, name, url } = attachment;
  clearAttachment(false);
  showUser(url ? text : [`📄 ${name}`, text].filter(Boolean).join("\n"), url);
  const body = new FormData();
  body.append("lang", lang);
  body.append("id", newId());
  if (text) body.append("text", text);
  if (attachment_is_csv(name, file)) {
    body.append("file", file, name);
    return turn("api/file", body);
  }
  body.append("photo", file, name);
  return turn("api/photo", body);
}

// ---- photos --------------------------------------------------------------------------------

async function shrink(file) {
  // Phone photos can be large; a label reads fine at 2560 px. Formats the browser cannot draw
  // (HEIC in most browsers) are sent as they are and read on the server.
  if (file.size <= SHRINK_OVER || !/^image\/(jpeg|png|webp)$/.test(file.type)) return file;
  try {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, SHRINK_TO / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement("canvas");
    canvas.width = Math.round(bitmap.width * scale);
    canvas.height = Math.round(bitmap.height * scale);
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
    return blob && blob.size < file.size ? blob : file;
  } catch {
    return file;
  }
}

// A restaurant's menu CSV goes to api/file (at most 1 MB); everything else must be a photo.
function attachment_is_csv(name, file) {
  return /\.(csv|tsv)$/i.test(name || "") || file.type === "text/csv";
}

async function attach(file) {
  if (!file) return;
  if (attachment_is_csv(file.name, file)) {
    if (file.size > 1000000) { showError(t("too_big")); return; }
    clearAttachment(true);
    attachment = { file, name: file.name, url: null };
    $("attachment-img").hidden = true;
    $("attachment-name").textContent = file.name;
    $("attachment").hidden = false;
    input.focus();
    return;
  }
  if (file.type && !file.type.startsWith("image/")) { showError(t("not_image")); return; }
  const ready = await shrink(file);
  if (ready.size > MAX_PHOTO) { showError(t("too_big")); return; }
  clearAttachment(true);
  const name = ready === file ? file.name : file.name.replace(/\.\w+$/, "") + ".jpg";
  attachment = { file: ready, name, url: URL.createObjectURL(ready) };
  const preview = $("attachment-img");
  preview.hidden = false;
  preview.onerror = () => { preview.hidden = true; }; // HEIC: most browsers cannot draw it; the server can read it
  preview.src = attachment.url;
  preview.alt = t("photo_sent");
  $("attachment-name").textContent = file.name;
  $("attachment").hidden = false;
  input.focus();
}

function clearAttachment(revoke) {
  if (attachment && attachment.url && revoke) URL.revokeObjectURL(attachment.url);
  attachment = null;
  fileInput.value = "";
  $("attachment").hidden = true;
  $("attachment-img").removeAttribute("src");
}

// ---- language ------------------------------------------------------------------------------

async function applyLanguage(next) {
  try { await loadWords(next); } catch { return; } // the server is away: keep the words the page has
  lang = next;
  localStorage.setItem("ss_lang", lang);
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  renderShortcuts();
  for (const node of document.querySelectorAll("[data-i18n-aria]")) node.setAttribute("aria-label", t(node.dataset.i18nAria));
  for (const node of document.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const b of document.querySelectorAll(".lang-btn")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  checkLength();
  if (!started || log.querySelector(".welcome")) renderWelcome();
}

// ---- wiring --------------------------------------------------------------------------------

// A message over the server's limit is announced while typing or pasting, and kept (never cut, never sent).
function checkLength() {
  const n = input.value.length;
  const over = n > MAX_TEXT;
  const note = $("too-long");
  note.hidden = !over;
  note.textContent = over ? t("too_long", { n, max: MAX_TEXT }) : "";
  input.setAttribute("aria-invalid", over ? "true" : "false");
  return !over;
}
input.addEventListener("input", checkLength);

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!checkLength()) { input.focus(); return; }
  if (busy || (!text && !attachment)) return;
  input.value = "";
  autosize();
  if (attachment) sendPhoto(text); else sendText(text);
});

input.addEventListener("keydown", (e) => {
  // Enter sends, Shift+Enter is a new line; never while a Japanese IME is composing.
  if (e.key === "Enter" && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
    e.preventDefault();
    form.requestSubmit();
  }
});

function autosize() {
  input.style.height = "auto";
  input.style.height = `${Math.min(input.scrollHeight, 160)}px`;
}
input.addEventListener("input", autosize);

$("attach").addEventListener("click", () => fileInput.click());
fileInput.addEventListener("change", () => attach(fileInput.files[0]));
$("attachment-remove").addEventListener("click", () => { clearAttachment(true); input.focus(); });
// The shortcut row: what the server lists (a sentence to send, or a core action such as History).
function renderShortcuts() {
  const row = $("quick");
  row.replaceChildren(...SHORTCUTS.map((s) => el("button", {
    type: "button", class: "chip", id: `btn-${s.key}`, text: s.label,
    onclick: () => (s.action ? sendAction(s.action, s.label) : sendText(s.text)),
  })));
}

for (const b of document.querySelectorAll(".lang-btn")) b.addEventListener("click", () => applyLanguage(b.dataset.lang));

// Drag and drop anywhere on the page; paste works too.
const dropzone = $("dropzone");
let dragDepth = 0;
const hasFiles = (e) => Array.from(e.dataTransfer?.types || []).includes("Files");
document.addEventListener("dragenter", (e) => { if (hasFiles(e)) { dragDepth++; dropzone.hidden = false; } });
document.addEventListener("dragleave", () => { dragDepth = Math.max(0, dragDepth - 1); if (!dragDepth) dropzone.hidden = true; });
document.addEventListener("dragover", (e) => { if (hasFiles(e)) e.preventDefault(); });
document.addEventListener("drop", (e) => {
  if (!hasFiles(e)) return;
  e.preventDefault();
  dragDepth = 0;
  dropzone.hidden = true;
  const file = Array.from(e.dataTransfer.files).find((f) => !f.type || f.type.startsWith("image/")) || e.dataTransfer.files[0];
  attach(file);
});
document.addEventListener("paste", (e) => {
  const file = Array.from(e.clipboardData?.files || []).find((f) => f.type.startsWith("image/"));
  if (file) { e.preventDefault(); attach(file); }
});

// The conversation so far (the server's stored turns), so a reload does not lose it.
async function loadHistory() {
  try {
    const res = await fetch("api/history", { credentials: "same-origin" });
    const { turns } = await res.json();
    for (const turn of turns) {
      if (turn.said) showUser(turn.said).classList.add("past");
      if (turn.answer) renderReply({ text: turn.answer, lang, error: null, cards: [], actions: [], images: [] }).classList.add("past");
    }
  } catch {
    // no history is no reason to stop the page
  }
}

applyLanguage(lang).then(loadHistory).then(() => { document.body.dataset.ready = "true"; }); // tests wait for this
