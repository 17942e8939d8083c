// The sandbox's chat page: personas on the left, the chosen person's chat with the bot on the right.
// Messages arrive as server-sent events; the bot's HTML is rebuilt from Telegram's tags only.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { strings: {}, lang: "ru", personas: [], current: null, chats: new Map(), keyboards: new Map(), unread: new Map(), commands: [] };
const COLORS = { family: "#e17076", graduate: "#7bc862", coordinator: "#65aadd", supervisor: "#a695e7", admin: "#ee7aae" };

// ---- talking to the sandbox ----
async function post(path, body) {
  const res = await fetch(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) toast((await res.json().catch(() => ({}))).description || res.statusText);
}
const send = (text) => post("/api/send", { user: state.current, text });

// ---- Telegram HTML, kept to Telegram's tags ----
const ALLOWED = new Set(["B", "STRONG", "I", "EM", "U", "INS", "S", "STRIKE", "DEL", "CODE", "PRE", "BLOCKQUOTE", "A", "TG-SPOILER", "SPAN", "TG-EMOJI"]);
function sanitised(html) {
  const tpl = document.createElement("template");
  tpl.innerHTML = html;
  const out = document.createDocumentFragment();
  const copy = (from, to) => {
    for (const node of from.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) to.appendChild(document.createTextNode(node.textContent));
      else if (node.nodeType === Node.ELEMENT_NODE && ALLOWED.has(node.tagName)) {
        let el;
        if (node.tagName === "A") {
          el = document.createElement("a");
          const href = node.getAttribute("href") || "";
          if (/^(https?:|tg:|mailto:)/i.test(href)) { el.href = href; el.target = "_blank"; el.rel = "noopener noreferrer"; }
        } else if (node.tagName === "TG-SPOILER" || (node.tagName === "SPAN" && node.classList.contains("tg-spoiler"))) {
          el = document.createElement("span");
          el.className = "spoiler";
          el.onclick = () => el.classList.add("shown");
        } else if (node.tagName === "SPAN" || node.tagName === "TG-EMOJI") el = document.createElement("span");
        else el = document.createElement(node.tagName.toLowerCase());
        copy(node, el);
        to.appendChild(el);
      } else if (node.nodeType === Node.ELEMENT_NODE) copy(node, to);
    }
  };
  copy(tpl.content, out);
  return out;
}

// ---- rendering ----
const initials = (name) => name.split(" ").map((w) => w[0]).join("").slice(0, 2);
const persona = (id) => state.personas.find((p) => p.id === id);

function renderPersonas() {
  const list = $("personas");
  list.replaceChildren(...state.personas.map((p) => {
    const li = document.createElement("li");
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.persona = p.id;
    b.setAttribute("aria-current", String(p.id === state.current));
    const av = document.createElement("span");
    av.className = "avatar";
    av.style.setProperty("--c", COLORS[p.kind]);
    av.textContent = initials(p.name);
    const text = document.createElement("span");
    text.className = "who-text";
    const name = document.createElement("span");
    name.textContent = p.name;
    const kind = document.createElement("span");
    kind.className = "kind";
    kind.textContent = state.strings.kinds[p.kind];
    text.append(name, kind);
    b.append(av, text);
    const n = state.unread.get(p.id) || 0;
    if (n && p.id !== state.current) {
      const badge = document.createElement("span");
      badge.className = "badge";
      badge.textContent = String(n);
      b.append(badge);
    }
    b.onclick = () => select(p.id);
    li.append(b);
    return li;
  }));
}

function messageNode(m) {
  const wrap = document.createElement("div");
  wrap.className = "item";
  wrap.dataset.item = m.id;
  const div = document.createElement("div");
  div.className = `msg ${m.fromBot ? "bot" : "me"}`;
  div.dataset.id = m.id;
  if (m.file) {
    const url = `/files/${encodeURIComponent(m.file.id)}`;
    if (m.file.kind === "photo") {
      const img = document.createElement("img");
      img.src = `${url}?inline`;
      img.alt = m.file.name;
      div.append(img);
    } else {
      const f = document.createElement("div");
      f.className = "file";
      const a = document.createElement("a");
      a.href = url;
      a.download = m.file.name;
      a.textContent = `📄 ${m.file.name}`;
      const size = document.createElement("span");
      size.className = "kind";
      size.textContent = `${Math.max(1, Math.round(m.file.size / 1024))} KB`;
      f.append(a, size);
      div.append(f);
    }
  }
  if (m.contact) div.append(document.createTextNode(`📞 ${state.strings.contact_sent}: ${m.contact}`));
  if (m.html) {
    const body = document.createElement("div");
    body.className = "text";
    body.append(sanitised(m.html));
    div.append(body);
  }
  if (m.edited) {
    const meta = document.createElement("div");
    meta.className = "meta";
    meta.textContent = state.strings.edited;
    div.append(meta);
  }
  wrap.append(div);
  if (m.buttons.length) {
    const kb = document.createElement("div");
    kb.className = "inline";
    kb.dataset.for = m.id;
    for (const row of m.buttons) {
      const r = document.createElement("div");
      r.className = "row";
      for (const btn of row) {
        let el;
        if (btn.url) {
          el = document.createElement("a");
          el.href = btn.url;
          el.target = "_blank";
          el.rel = "noopener noreferrer";
        } else {
          el = document.createElement("button");
          el.type = "button";
          el.onclick = () => post("/api/press", { user: state.current, messageId: m.id, data: btn.data });
        }
        el.textContent = btn.text;
        r.append(el);
      }
      kb.append(r);
    }
    wrap.append(kb);
  }
  return wrap;
}

function renderChat() {
  const box = $("messages");
  const messages = (state.chats.get(state.current) || []).filter((m) => !m.deleted);
  if (!messages.length) {
    const empty = document.createElement("div");
    empty.className = "empty";
    const p = document.createElement("p");
    p.textContent = state.strings.empty;
    const b = document.createElement("button");
    b.type = "button";
    b.id = "start";
    b.textContent = state.strings.start;
    b.onclick = () => send("/start");
    empty.append(p, b);
    box.replaceChildren(empty);
  } else box.replaceChildren(...messages.map(messageNode));
  box.scrollTop = box.scrollHeight;
  renderHead();
}

/** One message added, edited or deleted in the open chat: only its own node changes. */
function upsert(m) {
  const box = $("messages");
  const old = box.querySelector(`[data-item="${m.id}"]`);
  if (m.deleted) old?.remove();
  else if (old) old.replaceWith(messageNode(m));
  else {
    box.querySelector(".empty")?.remove();
    const near = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    box.append(messageNode(m));
    if (near || !m.fromBot) box.scrollTop = box.scrollHeight;
  }
  if (!box.children.length) renderChat();
}

function renderHead() {
  const p = persona(state.current);
  $("who").textContent = p ? `${p.name} · ${state.strings.kinds[p.kind]}` : "";
  renderKeyboard();
}

function renderKeyboard() {
  const kb = state.keyboards.get(state.current);
  const box = $("keyboard");
  box.replaceChildren();
  if (!kb) return;
  for (const row of kb.keyboard) {
    const r = document.createElement("div");
    r.className = "row";
    for (const button of row) {
      const b = document.createElement("button");
      b.type = "button";
      const text = typeof button === "string" ? button : button.text;
      b.textContent = text;
      b.onclick = () => (button.request_contact ? post("/api/send", { user: state.current, contact: true }) : send(text));
      r.append(b);
    }
    box.append(r);
  }
  if (kb.input_field_placeholder) $("input").placeholder = kb.input_field_placeholder;
}

function renderCommands() {
  const box = $("commands");
  box.replaceChildren(...state.commands.map((c) => {
    const b = document.createElement("button");
    b.type = "button";
    const name = document.createElement("b");
    name.textContent = `/${c.command}`;
    const d = document.createElement("span");
    d.textContent = c.description;
    b.append(name, d);
    b.onclick = () => { box.hidden = true; send(`/${c.command}`); };
    return b;
  }));
}

let toastTimer;
function toast(text, alert = false) {
  clearTimeout(toastTimer);
  $("toast-text").textContent = text;
  $("toast").className = alert ? "alert" : "";
  $("toast-ok").hidden = !alert;
  $("toast").hidden = false;
  if (!alert) toastTimer = setTimeout(() => ($("toast").hidden = true), 3500);
}

// ---- choosing a person ----
// Changes that arrive while a chat is being fetched are applied to what the fetch returns.
let early = [];
function remember(list, m) {
  const at = list.findIndex((x) => x.id === m.id);
  if (at === -1) list.push(m);
  else list[at] = m;
}

async function load(id) {
  state.chats.delete(id);
  early = [];
  const res = await fetch(`/api/chat?user=${id}&lang=${state.lang}`);
  const data = await res.json();
  for (const c of early) if (c.chatId === id) remember(data.messages, c.message);
  early = [];
  state.chats.set(id, data.messages);
  state.keyboards.set(id, data.keyboard || undefined);
  state.commands = data.commands;
}

async function select(id) {
  state.current = id;
  state.unread.delete(id);
  $("input").placeholder = state.strings.placeholder;
  $("commands").hidden = true;
  await load(id);
  renderPersonas();
  renderCommands();
  renderChat();
  $("input").focus();
}

// ---- changes from the sandbox ----
let typingTimer;
function onChange(c) {
  if (c.kind === "reset") {
    state.chats.clear();
    state.keyboards.clear();
    state.unread.clear();
    void select(state.current);
    return;
  }
  if (c.kind === "message" || c.kind === "edit" || c.kind === "delete") {
    const list = state.chats.get(c.chatId);
    if (list) remember(list, c.message);
    else if (c.chatId === state.current) {
      early.push(c);
      return;
    }
    if (c.chatId === state.current) {
      if (c.kind === "message" && c.message.fromBot) $("typing").hidden = true;
      upsert(c.message);
    } else if (c.kind === "message" && c.message.fromBot) {
      state.unread.set(c.chatId, (state.unread.get(c.chatId) || 0) + 1);
      renderPersonas();
    }
  } else if (c.kind === "answer" && c.chatId === state.current && c.answer.text) toast(c.answer.text, !!c.answer.show_alert);
  else if (c.kind === "keyboard") {
    state.keyboards.set(c.chatId, c.keyboard || undefined);
    if (c.chatId === state.current) renderKeyboard();
  } else if (c.kind === "action" && c.chatId === state.current) {
    $("typing").hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => ($("typing").hidden = true), 5000);
  }
}

function listen() {
  const events = new EventSource("/api/events");
  events.onmessage = (e) => onChange(JSON.parse(e.data));
  events.onerror = () => ($("banner").hidden = false);
  events.onopen = () => {
    if (!$("banner").hidden && state.current) void select(state.current);
    $("banner").hidden = true;
  };
}

// ---- the composer ----
function wire() {
  const s = state.strings;
  document.title = s.title;
  $("title").textContent = s.title;
  $("hint").textContent = s.hint;
  $("reset").textContent = `↺ ${s.reset}`;
  $("send").textContent = s.send;
  $("menu-btn").textContent = `☰ ${s.menu}`;
  $("menu-btn").title = s.commands;
  $("attach-btn").title = s.attach;
  $("typing").textContent = s.typing;
  $("banner").textContent = s.offline;
  $("toast-ok").textContent = s.ok;
  $("toast-ok").onclick = () => ($("toast").hidden = true);
  $("composer").onsubmit = (e) => {
    e.preventDefault();
    const text = $("input").value;
    if (!text.trim()) return;
    $("input").value = "";
    void send(text);
  };
  $("input").onkeydown = (e) => {
    if (e.key === "Enter" && !e.shiftKey) { e.preventDefault(); $("composer").requestSubmit(); }
  };
  $("menu-btn").onclick = () => ($("commands").hidden = !$("commands").hidden);
  $("file").onchange = async () => {
    const file = $("file").files[0];
    if (!file) return;
    const kind = /^image\/(png|jpeg|gif|webp)$/.test(file.type) ? "photo" : "document";
    const caption = $("input").value;
    $("input").value = "";
    const q = new URLSearchParams({ user: String(state.current), kind, name: file.name, caption });
    const res = await fetch(`/api/upload?${q}`, { method: "POST", headers: { "content-type": file.type || "application/octet-stream" }, body: file });
    if (!res.ok) toast((await res.json().catch(() => ({}))).description || res.statusText);
    $("file").value = "";
  };
  $("reset").onclick = async () => {
    if (!confirm(s.reset_confirm)) return;
    toast(s.resetting);
    await post("/api/reset", {});
  };
}

async function main() {
  const wanted = (new URLSearchParams(location.search).get("lang") || navigator.language || "ru").slice(0, 2);
  const setup = await (await fetch(`/api/setup?lang=${wanted}`)).json();
  Object.assign(state, { strings: setup.strings, lang: setup.lang, personas: setup.personas });
  document.documentElement.lang = setup.lang;
  wire();
  listen();
  const asked = Number(new URLSearchParams(location.search).get("as"));
  await select(persona(asked) ? asked : state.personas[0].id);
}

void main();
