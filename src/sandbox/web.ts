// The sandbox's chat page and its small JSON API, served by the bot process itself on loopback:
// the page (HTML, JS, CSS from src/sandbox/page, no build step, nothing from elsewhere), the
// personas, a chat's messages as views, what a person does (type, share contact, upload, press),
// a stream of changes (server-sent events), file downloads and "reset sandbox".
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ApiError, type BotApi, type Change, type Entry } from "./bot-api/server.js";
import { readBody } from "./bot-api/request.js";
import { PERSONAS, personaById } from "./personas.js";
import { loadResources, LOCALES, type Locale } from "../i18n.js";

const PAGE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "page");
// Everything the page loads comes from this process; nothing it shows may run as script.
const PAGE_HEADERS = {
  "cache-control": "no-store",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
};
/** Uploaded images shown in the chat; anything else (SVG, HTML…) is only ever downloaded. */
const INLINE_IMAGE = /^image\/(png|jpeg|gif|webp)$/;

const STATIC: Record<string, [string, string]> = {
  "/": ["index.html", "text/html; charset=utf-8"],
  "/app.js": ["app.js", "text/javascript; charset=utf-8"],
  "/style.css": ["style.css", "text/css; charset=utf-8"],
};

export interface MessageView {
  id: number;
  chatId: number;
  fromBot: boolean;
  /** Telegram HTML as the bot wrote it (the page keeps only Telegram's tags), or escaped plain text. */
  html: string;
  buttons: { text: string; data?: string; url?: string }[][];
  file?: { id: string; kind: string; name: string; mime: string; size: number };
  contact?: string;
  edited: boolean;
  deleted: boolean;
}

const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function view(e: Entry): MessageView {
  const m = e.message;
  const kind = ["photo", "document", "voice", "audio", "video", "animation"].find((k) => m[k] !== undefined);
  return {
    id: m.message_id,
    chatId: e.chatId,
    fromBot: e.fromBot,
    html: e.html ? String(e.raw ?? "") : escape(String(e.raw ?? m.text ?? m.caption ?? "")),
    buttons: ((m.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data?: string; url?: string }[][]).map((row) => row.map((b) => ({ text: b.text, data: b.callback_data, url: b.url }))),
    file: kind && e.file ? { id: e.file.file_id, kind, name: e.file.name, mime: e.file.mime, size: e.file.bytes.length } : undefined,
    contact: m.contact?.phone_number,
    edited: e.edited,
    deleted: e.deleted,
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" }).end(JSON.stringify(body));
}

/** Requests from another site (or a rebound DNS name) must not drive the sandbox. */
function sameOrigin(req: IncomingMessage): boolean {
  const host = String(req.headers.host ?? "");
  if (!/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/.test(host)) return false;
  if (req.method === "GET") return true;
  const origin = req.headers.origin;
  return origin === undefined || origin === `http://${host}`;
}

export function pageHandler(opts: { api: BotApi; reset: () => Promise<void>; defaultLocale: Locale }) {
  const { api } = opts;
  const strings = loadResources();
  const user = (v: unknown) => {
    const p = personaById(Number(v));
    if (!p) throw new ApiError(400, "unknown persona");
    return p;
  };
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    if (!sameOrigin(req)) return void res.writeHead(403).end("forbidden");
    try {
      if (req.method === "GET" && STATIC[url.pathname]) {
        const [file, type] = STATIC[url.pathname]!;
        return void res.writeHead(200, { "content-type": type, ...PAGE_HEADERS }).end(await readFile(path.join(PAGE_DIR, file)));
      }
      if (req.method === "GET" && url.pathname === "/api/setup") {
        const wanted = url.searchParams.get("lang") as Locale;
        const lang = LOCALES.includes(wanted) ? wanted : opts.defaultLocale;
        return json(res, 200, { lang, strings: strings[lang].sandbox, personas: PERSONAS.map((p) => ({ id: p.id, name: `${p.first_name} ${p.last_name}`, kind: p.kind })) });
      }
      if (req.method === "GET" && url.pathname === "/api/chat") {
        const p = user(url.searchParams.get("user"));
        const chat = api.state.chats.get(p.id);
        const commands = api.state.commands.get(url.searchParams.get("lang") ?? "") ?? api.state.commands.get("") ?? [];
        return json(res, 200, { messages: (chat?.entries ?? []).map(view), keyboard: chat?.replyKeyboard ?? null, commands });
      }
      if (req.method === "GET" && url.pathname === "/api/events") return void stream(api, req, res);
      const file = /^\/files\/([\w.-]+)$/.exec(url.pathname);
      if (req.method === "GET" && file) {
        const f = api.state.files.get(file[1]!);
        if (!f) return void res.writeHead(404).end();
        const inline = url.searchParams.has("inline") && INLINE_IMAGE.test(f.mime);
        const headers = { "content-type": f.mime, "content-length": f.bytes.length, "content-disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(f.name)}` };
        return void res
          .writeHead(200, { ...headers, ...PAGE_HEADERS })
          .end(f.bytes);
      }
      if (req.method === "POST" && url.pathname === "/api/upload") {
        const p = user(url.searchParams.get("user"));
        const upload = { filename: url.searchParams.get("name") || "file", mime: String(req.headers["content-type"] || "application/octet-stream"), bytes: await readBody(req) };
        const caption = url.searchParams.get("caption") || undefined;
        const asPhoto = url.searchParams.get("kind") === "photo";
        api.state.userSends(p.id, asPhoto ? { photo: upload, caption } : { document: upload, caption });
        return json(res, 200, { ok: true });
      }
      if (req.method !== "POST" || !String(req.headers["content-type"]).startsWith("application/json")) return void res.writeHead(404).end();
      const body = JSON.parse((await readBody(req)).toString("utf8") || "{}") as Record<string, unknown>;
      if (url.pathname === "/api/send") {
        const p = user(body.user);
        api.state.userSends(p.id, body.contact ? { contact: { phone_number: p.phone } } : { text: String(body.text ?? "") });
        return json(res, 200, { ok: true });
      }
      if (url.pathname === "/api/press") {
        const p = user(body.user);
        api.state.userPresses(p.id, Number(body.messageId), String(body.data ?? ""));
        return json(res, 200, { ok: true });
      }
      if (url.pathname === "/api/reset") {
        await opts.reset();
        return json(res, 200, { ok: true });
      }
      res.writeHead(404).end();
    } catch (err) {
      json(res, err instanceof ApiError ? err.code : 500, { ok: false, description: err instanceof Error ? err.message : String(err) });
    }
  };
}

/** Server-sent events: every change in any chat, as views; the page keeps those of the chat it shows. */
function stream(api: BotApi, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" });
  res.write("retry: 1000\n\n");
  const send = (c: Change) => {
    const data = c.kind === "message" || c.kind === "edit" || c.kind === "delete" ? { kind: c.kind, chatId: c.chatId, message: view(c.entry) } : c;
    res.write(`data: ${JSON.stringify(data)}\n\n`);
  };
  const ping = setInterval(() => res.write(": ping\n\n"), 15_000);
  api.state.on("change", send);
  req.on("close", () => {
    clearInterval(ping);
    api.state.off("change", send);
  });
}
