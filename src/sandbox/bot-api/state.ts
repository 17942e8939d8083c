// What a Bot API server holds: chats with their messages (both directions, edits and deletions
// kept), files, the queue of updates for getUpdates, and the bot's command menu. The people's side
// (a browser page, or a test) writes, sends files and presses buttons here; events tell watchers.
import { EventEmitter } from "node:events";
import { createHash } from "node:crypto";
import type { Upload } from "./request.js";

export class ApiError extends Error {
  constructor(readonly code: number, description: string, readonly parameters?: Record<string, unknown>) {
    super(description);
  }
}

export interface TgUser { id: number; is_bot: boolean; first_name: string; last_name?: string; username?: string; language_code?: string }
export type TgMessage = Record<string, any> & { message_id: number; date: number; chat: { id: number; type: string } };

export interface StoredFile { file_id: string; file_unique_id: string; file_path: string; name: string; mime: string; bytes: Buffer }

/** One message in a chat, with what the sender sent (the bot's HTML as written) beside Telegram's shape. */
export interface Entry {
  chatId: number;
  fromBot: boolean;
  message: TgMessage;
  /** Text or caption exactly as sent; `html` when sent with parse_mode HTML. */
  raw?: string;
  html: boolean;
  file?: StoredFile;
  edited: boolean;
  deleted: boolean;
}

export interface Chat { user: TgUser; nextMessageId: number; entries: Entry[]; replyKeyboard?: Record<string, unknown> }
export type Update = Record<string, unknown> & { update_id: number };
export interface Answer { text?: string; show_alert?: boolean }

export type Change =
  | { kind: "message" | "edit" | "delete"; chatId: number; entry: Entry }
  | { kind: "answer"; chatId: number; callbackId: string; answer: Answer }
  | { kind: "keyboard"; chatId: number; keyboard?: Record<string, unknown> }
  | { kind: "action"; chatId: number; action: string }
  | { kind: "reset" };

/** A person's message: text (a /command gets its entity), a shared contact, or a photo/file upload. */
export interface Outgoing { text?: string; contact?: { phone_number: string }; photo?: Upload; document?: Upload; caption?: string }

const now = () => Math.floor(Date.now() / 1000);

export class BotApiState extends EventEmitter {
  chats = new Map<number, Chat>();
  files = new Map<string, StoredFile>();
  updates: Update[] = [];
  commands = new Map<string, { command: string; description: string }[]>();
  webhook = "";
  private nextUpdateId = 1;
  private nextFile = 1;
  private nextCallback = 1;
  private waiters = new Set<() => void>();
  /** Callback queries not yet answered: id → chat. */
  pending = new Map<string, number>();

  /** Makes a person known (their private chat with the bot exists from then on). */
  addUser(user: Omit<TgUser, "is_bot">): Chat {
    const existing = this.chats.get(user.id);
    if (existing) {
      existing.user = { ...existing.user, ...user };
      return existing;
    }
    const chat: Chat = { user: { ...user, is_bot: false }, nextMessageId: 1, entries: [] };
    this.chats.set(user.id, chat);
    return chat;
  }

  chat(chatId: unknown): Chat {
    const chat = this.chats.get(Number(chatId));
    if (!chat) throw new ApiError(400, "Bad Request: chat not found");
    return chat;
  }

  chatShape(chat: Chat) {
    const { id, first_name, last_name, username } = chat.user;
    return { id, type: "private", first_name, ...(last_name ? { last_name } : {}), ...(username ? { username } : {}) };
  }

  /** Adds a message to a chat and tells watchers. */
  append(chat: Chat, fromBot: boolean, from: TgUser, content: Record<string, unknown>, extra: Partial<Entry> = {}): Entry {
    const message = { message_id: chat.nextMessageId++, from, chat: this.chatShape(chat), date: now(), ...content } as TgMessage;
    const entry: Entry = { chatId: chat.user.id, fromBot, message, html: false, edited: false, deleted: false, ...extra };
    chat.entries.push(entry);
    this.emit("change", { kind: "message", chatId: entry.chatId, entry } satisfies Change);
    return entry;
  }

  find(chatId: unknown, messageId: unknown): Entry | undefined {
    return this.chats.get(Number(chatId))?.entries.find((e) => e.message.message_id === Number(messageId) && !e.deleted);
  }

  storeFile(upload: Upload, kind: string): StoredFile {
    const n = this.nextFile++;
    const digest = createHash("sha1").update(upload.bytes).digest("hex").slice(0, 12);
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(upload.filename)?.[0] ?? "";
    const file: StoredFile = { file_id: `${kind}-${n}-${digest}`, file_unique_id: `u${digest}`, file_path: `${kind}s/file_${n}${ext}`, name: upload.filename, mime: upload.mime, bytes: upload.bytes };
    this.files.set(file.file_id, file);
    return file;
  }

  pushUpdate(body: Record<string, unknown>): Update {
    const update = { update_id: this.nextUpdateId++, ...body };
    this.updates.push(update);
    for (const wake of this.waiters) wake();
    return update;
  }

  /** Long polling as Telegram does it: confirm below `offset`, wait up to `timeout` seconds for news. */
  async takeUpdates(offset: number, limit: number, timeoutSeconds: number, gone: Promise<void>): Promise<Update[]> {
    if (offset > 0) this.updates = this.updates.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.updates = this.updates.slice(offset);
    if (!this.updates.length && timeoutSeconds > 0) {
      let wake!: () => void;
      const woken = new Promise<void>((r) => (wake = r));
      this.waiters.add(wake);
      const timer = setTimeout(wake, timeoutSeconds * 1000);
      await Promise.race([woken, gone]);
      clearTimeout(timer);
      this.waiters.delete(wake);
    }
    return this.updates.slice(0, limit);
  }

  // ---- the people's side ----

  /** A person sends a message to the bot. */
  userSends(userId: number, out: Outgoing): Entry {
    const chat = this.chat(userId);
    const content: Record<string, unknown> = {};
    let file: StoredFile | undefined;
    if (out.contact) {
      const { first_name, last_name } = chat.user;
      content.contact = { phone_number: out.contact.phone_number, first_name, ...(last_name ? { last_name } : {}), user_id: userId };
    } else if (out.photo) {
      file = this.storeFile(out.photo, "photo");
      content.photo = [{ file_id: file.file_id, file_unique_id: file.file_unique_id, width: 0, height: 0, file_size: file.bytes.length }];
    } else if (out.document) {
      file = this.storeFile(out.document, "document");
      content.document = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_name: file.name, mime_type: file.mime, file_size: file.bytes.length };
    } else {
      const text = out.text ?? "";
      if (!text.trim()) throw new ApiError(400, "Bad Request: message text is empty");
      content.text = text;
      const command = /^\/[A-Za-z0-9_]+(@\w+)?/.exec(text);
      if (command) content.entities = [{ type: "bot_command", offset: 0, length: command[0].length }];
    }
    if (out.caption && (out.photo || out.document)) content.caption = out.caption;
    // A one-time reply keyboard goes away once a person has answered.
    if (chat.replyKeyboard?.one_time_keyboard) this.setKeyboard(chat, undefined);
    return this.userSendsMessage(userId, content, { raw: out.text ?? out.caption, file });
  }

  /** A person's message with its fields as Telegram puts them (text, voice, location…), to the bot. */
  userSendsMessage(userId: number, content: Record<string, unknown>, extra: Partial<Entry> = {}): Entry {
    const chat = this.chat(userId);
    const raw = typeof content.text === "string" ? content.text : typeof content.caption === "string" ? content.caption : undefined;
    const entry = this.append(chat, false, chat.user, content, { raw, ...extra });
    this.pushUpdate({ message: entry.message });
    return entry;
  }

  /** A person presses an inline button; the answer (a toast) comes as an "answer" change. */
  userPresses(userId: number, messageId: number, data: string): string {
    const chat = this.chat(userId);
    const entry = this.find(userId, messageId);
    if (!entry) throw new ApiError(400, "Bad Request: message not found");
    const id = String(this.nextCallback++);
    this.pending.set(id, userId);
    this.pushUpdate({ callback_query: { id, from: chat.user, message: entry.message, chat_instance: String(userId), data } });
    return id;
  }

  setKeyboard(chat: Chat, keyboard: Record<string, unknown> | undefined): void {
    chat.replyKeyboard = keyboard;
    this.emit("change", { kind: "keyboard", chatId: chat.user.id, keyboard } satisfies Change);
  }

  /** Everything forgotten: the sandbox's "start over". */
  reset(): void {
    this.chats.clear();
    this.files.clear();
    this.updates = [];
    this.pending.clear();
    this.commands.clear();
    this.emit("change", { kind: "reset" } satisfies Change);
  }
}
