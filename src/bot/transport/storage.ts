// Where sessions and conversation state are kept. The database is the default, so a restart
// loses nothing. SESSION_STORAGE=free keeps sessions in grammY's hosted free storage instead
// (needs the network and a real token); conversation state always stays in the database.
// Every update needs the chat's rows and the person writing: `preloadChat` reads them in one
// statement as handling starts, and a row is written back only when its value changed.
import type { MiddlewareFn, StorageAdapter } from "grammy";
import { freeStorage } from "@grammyjs/storage-free";
import type { BotContext, BotDeps, SessionData } from "../context.js";
import type { Db } from "../../db/client.js";
import { deleteSessionRow, readSessionRow, writeSessionRow } from "../../db/sessions.js";
import { findPersonAndRows, type PersonState } from "../../services/people/people.js";

/**
 * Bump when a conversation's code changes shape (steps added, removed or reordered): stored
 * replays of the old shape are then discarded instead of replayed into the wrong step.
 */
export const CONVERSATION_STORAGE_VERSION = 1;

/** Conversation state is stored under this prefix and the chat key (unfinished forms expire by it). */
export const CONVERSATION_PREFIX = "conversation:";

/**
 * Session and conversation rows in the database. The rows of a chat whose update is in hand are
 * held as read (with the person, in one statement) until the update ends: reads are answered from there, and
 * a write that would store what is already there is skipped. Per-chat ordering (sequentialize)
 * makes sure no other update of the chat is handled meanwhile.
 */
export class ChatRows {
  /** JSON as read or last written (null: no row), for the chats being handled. */
  private readonly held = new Map<string, string | null>();
  constructor(private readonly db: Db) {}

  /** Holds rows read by the caller (null: no row) until `release`. */
  hold(rows: ReadonlyArray<readonly [string, string | null]>): void {
    for (const [k, v] of rows) this.held.set(k, v);
  }

  release(keys: readonly string[]): void {
    for (const k of keys) this.held.delete(k);
  }

  adapter<T>(): StorageAdapter<T> {
    return {
      read: async (key) => {
        const json = this.held.has(key) ? this.held.get(key)! : await readSessionRow(this.db, key);
        return json === null ? undefined : (JSON.parse(json) as T);
      },
      write: async (key, value) => {
        const json = JSON.stringify(value);
        if (this.held.get(key) === json) return;
        await writeSessionRow(this.db, key, json);
        if (this.held.has(key)) this.held.set(key, json);
      },
      delete: async (key) => {
        if (this.held.get(key) === null) return;
        await deleteSessionRow(this.db, key);
        if (this.held.has(key)) this.held.set(key, null);
      },
    };
  }
}

/** Where the bot's sessions and conversation state live, and the middleware that preloads them. */
export interface ChatStorage {
  sessions: StorageAdapter<SessionData>;
  /** Conversation state (typed by the conversations plugin). */
  conversations<T>(): StorageAdapter<T>;
  /** Reads, at once, the person writing and the chat's rows (`ctx.person` is set here). */
  preloadChat: MiddlewareFn<BotContext>;
  /**
   * The person of the chat's update in hand, as its handlers now see them (undefined: no update of
   * this chat in hand). Conversations build contexts of their own, one per update they replay, and
   * take the person from here instead of reading them again for each.
   */
  personInHand(ctx: { chat?: { id: number }; from?: { id: number } }): PersonState | null | undefined;
}

export function chatStorage(deps: BotDeps): ChatStorage {
  const { config, prisma } = deps;
  const rows = new ChatRows(prisma);
  const free = config.SESSION_STORAGE === "free";
  let sessions: StorageAdapter<SessionData> = rows.adapter<SessionData>();
  if (free) {
    const store = freeStorage<SessionData>(config.BOT_TOKEN, config.FREE_STORAGE_URL ? { rootUrl: config.FREE_STORAGE_URL } : undefined);
    // grammY only needs read/write/delete; readAllKeys' return type differs between the packages.
    sessions = { read: store.read, write: store.write, delete: store.delete };
  }
  // Per-chat order (sequentialize) makes the chat key name one update at a time.
  const inHand = new Map<string, { person: PersonState | null; from?: { id: number } }>();
  const preloadChat: MiddlewareFn<BotContext> = async (ctx, next) => {
    const key = chatKey(ctx);
    const keys = key === undefined ? [] : free ? [CONVERSATION_PREFIX + key] : [key, CONVERSATION_PREFIX + key];
    const found = await findPersonAndRows(prisma, ctx.from?.id ?? null, keys[0] ?? null, keys[1] ?? null);
    rows.hold(keys.map((k, i) => [k, found.rows[i]!] as const));
    ctx.person = found.person;
    if (key !== undefined) inHand.set(key, ctx);
    try {
      await next();
    } finally {
      rows.release(keys);
      if (key !== undefined) inHand.delete(key);
    }
  };
  const personInHand = (ctx: { chat?: { id: number }; from?: { id: number } }) => {
    const key = chatKey(ctx);
    const outer = key === undefined ? undefined : inHand.get(key);
    // The same person only: in a private chat always, but a context without a chat is keyed by its sender.
    return outer && outer.from?.id === ctx.from?.id ? outer.person : undefined;
  };
  return { sessions, conversations: () => rows.adapter(), preloadChat, personInHand };
}

/** Sessions, conversations and ordering all use the chat as the key. */
/** The session and conversation-state keys of a private chat (erasure deletes both). */
export const sessionKeysOf = (telegramId: bigint | number): string[] => [String(telegramId), `${CONVERSATION_PREFIX}${telegramId}`];

export function chatKey(ctx: { chat?: { id: number }; from?: { id: number } }): string | undefined {
  return ctx.chat?.id.toString() ?? ctx.from?.id.toString();
}
