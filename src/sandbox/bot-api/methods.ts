// The Bot API methods this bot calls, answered as Telegram answers them: the same result shapes and
// the same refusals (unknown chat, text too long, HTML that does not parse, message not modified…).
import type { Call, Upload } from "./request.js";
import { ApiError, type BotApiState, type Chat, type Entry, type StoredFile, type TgUser } from "./state.js";
import { parseHtml } from "./html.js";

const TEXT_LIMIT = 4096;
const CAPTION_LIMIT = 1024;

type Method = (call: Call, ctx: { bot: TgUser; gone: Promise<void> }) => unknown;

/** Plain text of a text or caption as Telegram parses it, refused when it does not fit. */
function parsed(value: unknown, parseMode: unknown, limit: number, what: "text" | "caption"): { plain: string; raw: string; html: boolean } {
  const raw = String(value ?? "");
  const html = String(parseMode ?? "").toLowerCase() === "html";
  let plain = raw;
  if (html) {
    const r = parseHtml(raw);
    if ("error" in r) throw new ApiError(400, r.error);
    plain = r.plain;
  }
  if (what === "text" && !plain.trim()) throw new ApiError(400, "Bad Request: message text is empty");
  if (plain.length > limit) throw new ApiError(400, what === "text" ? "Bad Request: message is too long" : "Bad Request: message caption is too long");
  return { plain, raw, html };
}

/** Inline keyboards stay with the message; reply keyboards belong to the chat. */
function markup(state: BotApiState, chat: Chat, reply: unknown): Record<string, unknown> {
  if (!reply || typeof reply !== "object") return {};
  const r = reply as Record<string, any>;
  if (Array.isArray(r.inline_keyboard)) {
    for (const b of r.inline_keyboard.flat()) {
      if (!b?.text) throw new ApiError(400, "Bad Request: text buttons are unallowed in the inline keyboard");
      if (b.callback_data !== undefined && (Buffer.byteLength(String(b.callback_data)) > 64 || String(b.callback_data) === "")) throw new ApiError(400, "Bad Request: BUTTON_DATA_INVALID");
    }
    return { reply_markup: { inline_keyboard: r.inline_keyboard } };
  }
  if (Array.isArray(r.keyboard)) state.setKeyboard(chat, r);
  else if (r.remove_keyboard) state.setKeyboard(chat, undefined);
  return {};
}

const FILE_KINDS = { sendPhoto: "photo", sendDocument: "document", sendVoice: "voice", sendAudio: "audio", sendVideo: "video", sendVideoNote: "video_note", sendAnimation: "animation" } as const;

/** The file a send names: an upload ("attach://part" or the part itself) or a file_id known here. */
function fileOf(state: BotApiState, call: Call, field: string): StoredFile {
  const value = call.params[field];
  const upload: Upload | undefined = typeof value === "string" && value.startsWith("attach://") ? call.uploads.get(value.slice(9)) : call.uploads.get(field);
  if (upload) return state.storeFile(upload, field);
  if (typeof value === "string" && state.files.has(value)) return state.files.get(value)!;
  if (typeof value === "string" && /^https?:/.test(value)) throw new ApiError(400, "Bad Request: failed to get HTTP URL content");
  if (value === undefined) throw new ApiError(400, `Bad Request: there is no ${field} in the request`);
  throw new ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified");
}

function fileShape(kind: string, f: StoredFile): unknown {
  const base = { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.bytes.length };
  if (kind === "photo") return [{ ...base, width: 0, height: 0 }];
  if (kind === "document") return { ...base, file_name: f.name, mime_type: f.mime };
  return { ...base, duration: 0, mime_type: f.mime, ...(kind === "audio" || kind === "video" ? { file_name: f.name } : {}) };
}

function editable(state: BotApiState, p: Record<string, unknown>): Entry {
  if (p.inline_message_id) throw new ApiError(400, "Bad Request: inline messages are not supported here");
  state.chat(p.chat_id);
  const entry = state.find(p.chat_id, p.message_id);
  if (!entry) throw new ApiError(400, "Bad Request: message to edit not found");
  if (!entry.fromBot) throw new ApiError(400, "Bad Request: message can't be edited");
  return entry;
}

/** An edit of the bot's own message: its text or caption when `field` is given, and its inline keyboard. */
function edit(state: BotApiState, p: Record<string, unknown>, field?: "text" | "caption"): Entry["message"] {
  const entry = editable(state, p);
  const before = JSON.stringify([entry.raw, entry.message.reply_markup]);
  if (field) {
    if (field === "text" && entry.message.text === undefined) throw new ApiError(400, "Bad Request: there is no text in the message to edit");
    const value = parsed(p[field] ?? "", p.parse_mode, field === "text" ? TEXT_LIMIT : CAPTION_LIMIT, field);
    Object.assign(entry, { raw: value.raw, html: value.html });
    entry.message[field] = value.plain;
  }
  setInline(entry, markup(state, state.chat(p.chat_id), p.reply_markup));
  if (JSON.stringify([entry.raw, entry.message.reply_markup]) === before) {
    throw new ApiError(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message");
  }
  entry.edited = true;
  entry.message.edit_date = Math.floor(Date.now() / 1000);
  state.emit("change", { kind: "edit", chatId: entry.chatId, entry });
  return entry.message;
}

export function methods(state: BotApiState): Record<string, Method> {
  const sendFile = (kind: string): Method => ({ params: p, ...call }, { bot }) => {
    const chat = state.chat(p.chat_id);
    const file = fileOf(state, { params: p, ...call }, kind);
    const caption = p.caption === undefined ? undefined : parsed(p.caption, p.parse_mode, CAPTION_LIMIT, "caption");
    const content = { [kind]: fileShape(kind, file), ...(caption ? { caption: caption.plain } : {}), ...markup(state, chat, p.reply_markup) };
    return state.append(chat, true, bot, content, { raw: caption?.raw, html: caption?.html ?? false, file }).message;
  };
  const all: Record<string, Method> = {
    getMe: (_, { bot }) => ({ ...bot, can_join_groups: false, can_read_all_group_messages: false, supports_inline_queries: false }),
    getUpdates: ({ params: p }, { gone }) => {
      const limit = Math.min(Math.max(Number(p.limit ?? 100) || 100, 1), 100);
      const timeout = Math.min(Math.max(Number(p.timeout ?? 0) || 0, 0), 50);
      if (state.webhook) throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
      return state.takeUpdates(Number(p.offset ?? 0) || 0, limit, timeout, gone);
    },
    setWebhook: ({ params: p }) => ((state.webhook = String(p.url ?? "")), true),
    deleteWebhook: ({ params: p }) => {
      state.webhook = "";
      if (p.drop_pending_updates === true || p.drop_pending_updates === "true") state.updates = [];
      return true;
    },
    getWebhookInfo: () => ({ url: state.webhook, has_custom_certificate: false, pending_update_count: state.updates.length }),
    sendMessage: ({ params: p }, { bot }) => {
      const chat = state.chat(p.chat_id);
      const text = parsed(p.text, p.parse_mode, TEXT_LIMIT, "text");
      return state.append(chat, true, bot, { text: text.plain, ...markup(state, chat, p.reply_markup) }, { raw: text.raw, html: text.html }).message;
    },
    ...Object.fromEntries(Object.entries(FILE_KINDS).map(([name, kind]) => [name, sendFile(kind)])),
    copyMessage: ({ params: p }, { bot }) => {
      const chat = state.chat(p.chat_id);
      const source = state.find(p.from_chat_id, p.message_id);
      if (!source) throw new ApiError(400, "Bad Request: message to copy not found");
      const { message_id: _id, from: _from, chat: _chat, date: _date, reply_markup: _markup, edit_date: _edit, ...content } = source.message;
      let extra: Partial<Entry> = { raw: source.raw, html: source.html, file: source.file };
      if (p.caption !== undefined) {
        const caption = parsed(p.caption, p.parse_mode, CAPTION_LIMIT, "caption");
        content.caption = caption.plain;
        extra = { ...extra, raw: caption.raw, html: caption.html };
      }
      const copy = state.append(chat, true, bot, { ...content, ...markup(state, chat, p.reply_markup) }, extra);
      return { message_id: copy.message.message_id };
    },
    editMessageText: ({ params: p }) => edit(state, p, "text"),
    editMessageCaption: ({ params: p }) => edit(state, p, "caption"),
    editMessageReplyMarkup: ({ params: p }) => edit(state, p),
    deleteMessage: ({ params: p }) => {
      state.chat(p.chat_id);
      const entry = state.find(p.chat_id, p.message_id);
      if (!entry) throw new ApiError(400, "Bad Request: message to delete not found");
      entry.deleted = true;
      state.emit("change", { kind: "delete", chatId: entry.chatId, entry });
      return true;
    },
    answerCallbackQuery: ({ params: p }) => {
      const id = String(p.callback_query_id ?? "");
      const chatId = state.pending.get(id);
      if (chatId === undefined) throw new ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
      if (p.text !== undefined && String(p.text).length > 200) throw new ApiError(400, "Bad Request: MESSAGE_TOO_LONG");
      state.pending.delete(id);
      const answer = { ...(p.text ? { text: String(p.text) } : {}), ...(p.show_alert === true || p.show_alert === "true" ? { show_alert: true } : {}) };
      state.emit("change", { kind: "answer", chatId, callbackId: id, answer });
      return true;
    },
    setMyCommands: ({ params: p }) => {
      const commands = p.commands;
      if (!Array.isArray(commands) || commands.length > 100) throw new ApiError(400, "Bad Request: commands must be an array of at most 100 commands");
      for (const c of commands) {
        if (!/^[a-z0-9_]{1,32}$/.test(String(c?.command))) throw new ApiError(400, "Bad Request: BOT_COMMAND_INVALID");
        if (!c.description || String(c.description).length > 256) throw new ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID");
      }
      state.commands.set(String(p.language_code ?? ""), commands.map((c) => ({ command: String(c.command), description: String(c.description) })));
      return true;
    },
    getMyCommands: ({ params: p }) => state.commands.get(String(p.language_code ?? "")) ?? [],
    deleteMyCommands: ({ params: p }) => (state.commands.delete(String(p.language_code ?? "")), true),
    sendChatAction: ({ params: p }) => {
      const chat = state.chat(p.chat_id);
      state.emit("change", { kind: "action", chatId: chat.user.id, action: String(p.action ?? "typing") });
      return true;
    },
    getFile: ({ params: p }) => {
      const f = state.files.get(String(p.file_id ?? ""));
      if (!f) throw new ApiError(400, "Bad Request: invalid file_id");
      return { file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.bytes.length, file_path: f.file_path };
    },
    getChat: ({ params: p }) => state.chatShape(state.chat(p.chat_id)),
    setChatMenuButton: () => true,
    getChatMenuButton: () => ({ type: "commands" }),
    close: () => true,
    logOut: () => true,
  };
  return Object.fromEntries(Object.entries(all).map(([name, fn]) => [name.toLowerCase(), fn]));
}

function setInline(entry: Entry, m: Record<string, unknown>): void {
  if (m.reply_markup) entry.message.reply_markup = m.reply_markup;
  else delete entry.message.reply_markup;
}
