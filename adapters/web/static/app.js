// Sake Sensei web chat. Plain JavaScript, no build step: it talks to the JSON API documented in
// README.md ("Web chat JSON API") and draws every part of a reply: text, cards, pictures, buttons, errors.

const STRINGS = {
  en: {
    tagline: "Your sake sommelier",
    language: "Language",
    conversation: "Conversation",
    shortcuts: "Shortcuts",
    recommend: "Recommend a sake",
    recommendText: "Recommend a sake for me",
    survey: "Taste survey",
    profile: "My profile",
    profileText: "my taste profile",
    addPhoto: "Add a label photo",
    removePhoto: "Remove photo",
    message: "Message",
    placeholder: "Ask about sake…",
    send: "Send",
    drop: "Drop a label photo here",
    welcome: "Hello! I'm Sake Sensei, your sake sommelier.\nAsk me for a sake, tell me what you're eating, or send a photo of a label and I'll tell you what it is.",
    suggestions: ["Something dry and light for sashimi", "Tell me about 獺祭", "What is 新政?"],
    thinking: "Sake Sensei is thinking",
    you: "You",
    sensei: "Sake Sensei",
    log: "Log it",
    similar: "Similar",
    wish: "Wishlist",
    rate: "Your rating",
    stars: (n) => `${n} star${n === 1 ? "" : "s"}`,
    chartAlt: (name) => `Flavor chart of ${name}: floral, mellow, heavy, mild, dry and light`,
    noChart: "No flavor chart yet",
    match: (s) => `${Math.round(s * 100)}% match`,
    photoSent: "Label photo",
    network: "I couldn't reach Sake Sensei. Is the server still running? Please try again.",
    tooBig: "That photo is larger than 10 MB. Please choose a smaller one.",
    notImage: "Please choose a picture (JPEG, PNG, WebP or HEIC).",
    brewery: "Brewery",
  },
  ja: {
    tagline: "あなたの日本酒ソムリエ",
    language: "言語",
    conversation: "会話",
    shortcuts: "ショートカット",
    recommend: "おすすめを聞く",
    recommendText: "おすすめの日本酒を教えて",
    survey: "好みアンケート",
    profile: "プロフィール",
    profileText: "プロフィール",
    addPhoto: "ラベルの写真を追加",
    removePhoto: "写真を取り消す",
    message: "メッセージ",
    placeholder: "日本酒について質問…",
    send: "送信",
    drop: "ラベルの写真をここにドロップ",
    welcome: "こんにちは、日本酒ソムリエのSake Senseiです。\nおすすめを聞いたり、食べる料理を教えてください。ラベルの写真を送れば、どのお酒か調べます。",
    suggestions: ["刺身に合う辛口で軽快なお酒", "獺祭について教えて", "新政ってどんなお酒?"],
    thinking: "考えています",
    you: "あなた",
    sensei: "Sake Sensei",
    log: "記録",
    similar: "似たお酒",
    wish: "飲みたい",
    rate: "評価",
    stars: (n) => `星${n}つ`,
    chartAlt: (name) => `${name}のフレーバーチャート(華やか・芳醇・重厚・穏やか・ドライ・軽快)`,
    noChart: "フレーバーチャートはまだありません",
    match: (s) => `一致度 ${Math.round(s * 100)}%`,
    photoSent: "ラベルの写真",
    network: "Sake Senseiに接続できませんでした。サーバーが動いているか確認して、もう一度お試しください。",
    tooBig: "写真が10MBを超えています。小さい写真を選んでください。",
    notImage: "画像ファイル(JPEG・PNG・WebP・HEIC)を選んでください。",
    brewery: "蔵元",
  },
};

const MAX_PHOTO = 10 * 1024 * 1024;
const SHRINK_OVER = 4 * 1024 * 1024; // bigger photos are shrunk in the browser before upload
const SHRINK_TO = 2560; // longest side, in pixels: plenty for reading a label
const CARD_VERBS = new Set(["log", "similar", "wish", "rate", "pick"]);
const CHOICE_VERBS = new Set(["rate", "survey", "pick"]); // one answer per group: disabled once chosen

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

function t(key, ...args) {
  const value = STRINGS[lang][key] ?? STRINGS.en[key];
  return typeof value === "function" ? value(...args) : value;
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

function parseAction(id) {
  const [verb, brand, ...rest] = id.split(":");
  return { verb, brand: /^\d+$/.test(brand ?? "") ? Number(brand) : null, rest };
}

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function shortLabel(label, context) {
  // "Log it: 獺祭" on the 獺祭 card reads "Log it"; the full label stays the accessible name.
  if (!context) return label;
  const short = label.replace(new RegExp(`\\s*[:：·・-]?\\s*${escapeRegExp(context)}\\s*$`), "");
  return short || label;
}

function choiceKey(id) {
  // Buttons that answer one question: a rating of one sake, a survey question, which label it is.
  const { verb, brand } = parseAction(id);
  if (!CHOICE_VERBS.has(verb)) return null;
  if (verb === "rate") return `rate:${brand}`;
  if (verb === "survey") return `survey:${id.split(":")[1]}`;
  return verb;
}

function actionButton(action, context) {
  const { verb } = parseAction(action.id);
  const classes = ["btn"];
  if (action.style === "primary") classes.push("primary");
  if (action.style === "danger") classes.push("danger");
  const text = shortLabel(action.label, context);
  const button = el("button", {
    type: "button", class: classes.join(" "), "data-action": action.id, text,
    "aria-label": action.aria || (text !== action.label ? action.label : null),
  });
  const key = choiceKey(action.id);
  if (key) button.dataset.choice = key;
  button.addEventListener("click", () => {
    if (key) {
      // one answer per question, wherever its buttons sit in this reply (label candidates are on several cards)
      const scope = button.closest(".msg") || document;
      for (const b of scope.querySelectorAll("button[data-choice]")) { if (b.dataset.choice === key) b.disabled = true; }
      button.setAttribute("aria-pressed", "true");
    }
    const said = context && !action.label.includes(context) ? `${action.label} · ${context}` : action.label;
    sendAction(action.id, said);
  });
  return button;
}

function starsRow(actions, context) {
  const row = el("div", { class: "stars", role: "group", "aria-label": t("rate") },
    el("span", { class: "label", text: t("rate") }));
  for (const a of actions) {
    const stars = Number(parseAction(a.id).rest[0]);
    const label = a.label || `★${stars}`;
    row.append(actionButton({ ...a, label, aria: Number.isFinite(stars) ? t("stars", stars) : null }, context));
  }
  return row;
}

function actionRows(actions, context) {
  // Rating buttons become one row of stars; every other group of choices (survey answers,
  // label candidates) is answered once; plain buttons stay available.
  const rows = [];
  const rate = actions.filter((a) => parseAction(a.id).verb === "rate");
  const choices = actions.filter((a) => CHOICE_VERBS.has(parseAction(a.id).verb) && parseAction(a.id).verb !== "rate");
  const plain = actions.filter((a) => !CHOICE_VERBS.has(parseAction(a.id).verb));
  if (plain.length) rows.push(el("div", { class: "actions" }, plain.map((a) => actionButton(a, context))));
  if (choices.length) rows.push(el("div", { class: "actions choices" }, choices.map((a) => actionButton(a, context))));
  if (rate.length) rows.push(starsRow(rate, context));
  return rows;
}

function renderCard(card, actions) {
  const name = card.name;
  const where = [card.brewery, card.prefecture].filter(Boolean).join(" · ");
  const own = actions.filter((a) => parseAction(a.id).brand === card.brand_id);
  // The brain decides a card's buttons; a card it gave none gets the three every platform offers.
  const standard = own.length ? [] : [["log", t("log"), "primary"], ["similar", t("similar"), null], ["wish", t("wish"), null]]
    .map(([verb, label, style]) => ({ id: `${verb}:${card.brand_id}`, label, style }));
  const chart = card.chart_url
    ? el("img", { class: "chart", src: card.chart_url, alt: t("chartAlt", name), loading: "lazy", width: 260, height: 260 })
    : (card.flavor ? null : el("p", { class: "no-chart", text: t("noChart") }));
  return el("article", { class: "card", "data-brand-id": card.brand_id, "aria-label": name },
    el("div", { class: "head" },
      el("div", {},
        el("h2", { lang: "ja", text: name }),
        card.name_romaji ? el("p", { class: "romaji", lang: "ja-Latn", text: card.name_romaji }) : null),
      typeof card.score === "number" && card.reason ? el("span", { class: "score", text: t("match", card.score) }) : null),
    where ? el("p", { class: "where", lang: "ja", text: where }) : null,
    chart,
    card.tags && card.tags.length ? el("ul", { class: "tags", lang: "ja" }, card.tags.map((tag) => el("li", { text: tag }))) : null,
    card.reason ? el("p", { class: "reason", text: card.reason }) : null,
    actionRows([...own, ...standard], name));
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
  const cardIds = new Set((reply.cards || []).map((c) => c.brand_id));
  const actions = reply.actions || [];
  if (reply.cards && reply.cards.length) {
    node.append(el("div", { class: "cards" }, reply.cards.map((c) => renderCard(c, actions))));
  }
  const loose = actions.filter((a) => {
    const { verb, brand } = parseAction(a.id);
    return !(CARD_VERBS.has(verb) && cardIds.has(brand));
  });
  if (loose.length) node.append(...actionRows(loose, null));
  return addMessage(node);
}

function renderWelcome() {
  const old = log.querySelector(".welcome");
  const node = el("article", { class: "msg bot welcome", "aria-label": t("sensei") },
    el("div", { class: "bubble", text: t("welcome") }),
    el("div", { class: "suggestions" }, STRINGS[lang].suggestions.map((s) =>
      el("button", { type: "button", class: "chip", text: s, onclick: () => sendText(s) }))));
  if (old) old.replaceWith(node); else log.prepend(node);
}

function showUser(text, photoUrl) {
  const node = el("article", { class: "msg user", "aria-label": t("you") });
  if (photoUrl) {
    const img = el("img", { class: "photo", src: photoUrl, alt: t("photoSent") });
    img.onerror = () => img.replaceWith(el("div", { class: "bubble", text: `📷 ${t("photoSent")}` }));
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

function sendAction(action, said) {
  if (busy) return;
  started = true;
  showUser(said);
  return turn("api/action", { action, lang, id: newId() });
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
    if (file.size > 1000000) { showError(t("tooBig")); return; }
    clearAttachment(true);
    attachment = { file, name: file.name, url: null };
    $("attachment-img").hidden = true;
    $("attachment-name").textContent = file.name;
    $("attachment").hidden = false;
    input.focus();
    return;
  }
  if (file.type && !file.type.startsWith("image/")) { showError(t("notImage")); return; }
  const ready = await shrink(file);
  if (ready.size > MAX_PHOTO) { showError(t("tooBig")); return; }
  clearAttachment(true);
  const name = ready === file ? file.name : file.name.replace(/\.\w+$/, "") + ".jpg";
  attachment = { file: ready, name, url: URL.createObjectURL(ready) };
  const preview = $("attachment-img");
  preview.hidden = false;
  preview.onerror = () => { preview.hidden = true; }; // HEIC: most browsers cannot draw it; the server can read it
  preview.src = attachment.url;
  preview.alt = t("photoSent");
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

function applyLanguage(next) {
  lang = next;
  localStorage.setItem("ss_lang", lang);
  document.documentElement.lang = lang;
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-aria]")) node.setAttribute("aria-label", t(node.dataset.i18nAria));
  for (const node of document.querySelectorAll("[data-i18n-title]")) node.title = t(node.dataset.i18nTitle);
  for (const node of document.querySelectorAll("[data-i18n-placeholder]")) node.placeholder = t(node.dataset.i18nPlaceholder);
  for (const b of document.querySelectorAll(".lang-btn")) b.setAttribute("aria-pressed", String(b.dataset.lang === lang));
  if (!started || log.querySelector(".welcome")) renderWelcome();
}

// ---- wiring --------------------------------------------------------------------------------

form.addEventListener("submit", (e) => {
  e.preventDefault();
  const text = input.value.trim();
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
$("btn-recommend").addEventListener("click", () => sendText(t("recommendText")));
$("btn-profile").addEventListener("click", () => sendText(t("profileText")));
$("btn-survey").addEventListener("click", () => sendAction("survey:start", t("survey")));
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

applyLanguage(lang);
document.body.dataset.ready = "true"; // tests wait for this
