// Drives the real bot in-process: real-shaped updates go in through bot.handleUpdate, every Bot API
// call is recorded (also those made inside conversations) and answered like Telegram would.
import type { Update, User, Message, InlineKeyboardMarkup } from "grammy/types";
import { createBot, type BotOptions } from "../../src/bot/create-bot.js";
import { finishUnfinished } from "../../src/bot/transport/inbox.js";
import { createDeliveryApi } from "../../src/bot/transport/api-defaults.js";
import { deliverDue } from "../../src/jobs/outbox.js";
import type { Api } from "grammy";
import type { BotDeps } from "../../src/bot/context.js";
import type { Feature } from "../../src/bot/feature.js";
import { loadConfig, type Config } from "../../src/config.js";
import { createI18n } from "../../src/i18n.js";
import { createLogger } from "../../src/logger.js";
import type { TestDb } from "./db.js";
import { fakeTelegramFetch, type Call, type Intercept } from "./fake-telegram.js";

export const TOKEN = "123456789:AAtest-token-for-tests-only_xxxxxxxxxx";
export const BOT_INFO = {
  id: 123456789, is_bot: true as const, first_name: "Support", username: "support_test_bot",
  can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false,
  can_connect_to_business: false, has_main_web_app: false, has_topics_enabled: false,
  allows_users_to_create_topics: false, can_manage_bots: false, supports_join_request_queries: false,
};

// Shared by every harness in a test file, so a restarted bot does not mistake new updates for old.
let nextUpdateId = 1000;

export type { Call };

export interface HarnessOptions {
  env?: Record<string, string>;
  features?: Feature[];
  clock?: () => Date;
  /** Called before each API call is answered; may throw, return a raw error response, or "hang". */
  intercept?: (call: Call) => Intercept;
}

export class Harness {
  calls: Call[] = [];
  private messageId = 1;
  bot!: ReturnType<typeof createBot>;
  /** The outbox's client, as src/main.ts builds it (no waiting retries). */
  deliveryApi!: Api;
  deps!: BotDeps;

  constructor(public db: TestDb, private opts: HarnessOptions = {}) {}

  async start(): Promise<this> {
    const config: Config = loadConfig({ BOT_TOKEN: TOKEN, DATABASE_URL: this.db.url, LOG_LEVEL: "silent", PROGRAMME_NAME: "Test programme",
      // Tests deliver with one deliver() call what production spreads over seconds; pacing tests set their own.
      OUTBOX_RATE_PER_SECOND: "10000", OUTBOX_CHAT_GAP_MS: "0", ...this.opts.env });
    this.deps = { config, prisma: this.db.prisma, logger: createLogger("silent"), i18n: await createI18n(config.DEFAULT_LOCALE), clock: this.opts.clock ?? (() => new Date()) };
    const fakeTelegram = fakeTelegramFetch(
      (call) => {
        this.calls.push(call);
        return this.opts.intercept?.(call);
      },
      (call, id) => this.sentIds.set(call, id),
    );
    const botOpts: BotOptions = { botInfo: BOT_INFO, fetch: fakeTelegram, features: this.opts.features };
    this.deps.fetch = fakeTelegram;
    this.bot = createBot(this.deps, botOpts);
    this.deliveryApi = createDeliveryApi(TOKEN, { fetch: fakeTelegram });
    await this.bot.init();
    await finishUnfinished(this.bot, this.deps); // as src/main.ts does at every start
    return this;
  }

  /** Runs the outbox job once, as src/main.ts does every second. */
  deliver(limit?: number): Promise<number> {
    return deliverDue(this.deps, this.deliveryApi, limit);
  }

  /** A new bot instance over the same database, as after a process restart. */
  async restart(): Promise<this> {
    return this.start();
  }

  user(id: number, language_code = "ru"): User {
    return { id, is_bot: false, first_name: `Person${id}`, last_name: "Testova", username: `person${id}`, language_code };
  }

  /** A person who has been through first contact (language chosen, consent given); calls cleared. */
  async member(id: number, lang = "ru"): Promise<User> {
    const u = this.user(id, lang);
    await this.command(u, "start");
    await this.press(u, `lang:${lang}`);
    await this.press(u, "consent:yes");
    this.clear();
    return u;
  }

  private chatOf(u: User) {
    return { id: u.id, type: "private" as const, first_name: u.first_name, username: u.username };
  }

  message(u: User, extra: Partial<Message> & Record<string, unknown>): Update {
    return { update_id: ++nextUpdateId, message: { message_id: ++this.messageId, date: Math.floor(Date.now() / 1000), chat: this.chatOf(u), from: u, ...extra } as never };
  }

  async send(update: Update): Promise<void> {
    await this.bot.handleUpdate(update);
  }

  async text(u: User, text: string): Promise<Update> {
    const upd = this.message(u, { text });
    await this.send(upd);
    return upd;
  }

  async command(u: User, command: string, args = ""): Promise<Update> {
    const text = `/${command}${args ? ` ${args}` : ""}`;
    const upd = this.message(u, { text, entities: [{ type: "bot_command", offset: 0, length: command.length + 1 }] });
    await this.send(upd);
    return upd;
  }

  /** Presses an inline button; by default on the last message the bot sent this person. */
  async press(u: User, data: string, messageId?: number): Promise<Update> {
    const upd = this.pressUpdate(u, data, messageId);
    await this.send(upd);
    return upd;
  }

  /** The update of a button press, not sent. */
  pressUpdate(u: User, data: string, messageId?: number): Update {
    const mid = messageId ?? this.lastMessageId(u.id) ?? 1;
    return {
      update_id: ++nextUpdateId,
      callback_query: { id: String(++this.messageId), from: u, chat_instance: "ci", data, message: { message_id: mid, date: 0, chat: this.chatOf(u), text: "…" } as never },
    };
  }

  sentTo(chatId: number, method = "sendMessage"): Call[] {
    return this.calls.filter((c) => c.method === method && Number(c.payload.chat_id) === chatId);
  }

  texts(chatId: number): string[] {
    return this.sentTo(chatId).map((c) => String(c.payload.text));
  }

  last(chatId: number): Call | undefined {
    return this.sentTo(chatId).at(-1);
  }

  lastText(chatId: number): string {
    return String(this.last(chatId)?.payload.text ?? "");
  }

  lastMessageId(chatId: number): number | undefined {
    const i = this.calls.findLastIndex((c) => c.method === "sendMessage" && Number(c.payload.chat_id) === chatId);
    if (i < 0) return undefined;
    // message ids are handed out in order; recompute from the recorded result order
    return this.sentIds.get(this.calls[i]!);
  }

  private sentIds = new WeakMap<Call, number>();

  /** The message id Telegram gave a recorded send. */
  lastMessageIdOf(call: Call): number {
    return this.sentIds.get(call)!;
  }

  /** Buttons of a sent message, as [text, callback data] pairs. */
  static buttons(call: Call | undefined): [string, string][] {
    const kb = call?.payload.reply_markup as InlineKeyboardMarkup | undefined;
    return (kb?.inline_keyboard ?? []).flat().map((b) => [b.text, "callback_data" in b ? b.callback_data! : ""]);
  }

  answers(): Call[] {
    return this.calls.filter((c) => c.method === "answerCallbackQuery");
  }

  clear(): void {
    this.calls = [];
  }
}

export async function harness(db: TestDb, opts?: HarnessOptions): Promise<Harness> {
  return new Harness(db, opts).start();
}
