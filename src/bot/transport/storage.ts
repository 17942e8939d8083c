// Where sessions and conversation state are kept. The database is the default, so a restart
// loses nothing. SESSION_STORAGE=free keeps sessions in grammY's hosted free storage instead
// (needs the network and a real token); conversation state always stays in the database.
import type { StorageAdapter } from "grammy";
import { PrismaAdapter } from "@grammyjs/storage-prisma";
import { freeStorage } from "@grammyjs/storage-free";
import type { BotDeps, SessionData } from "../context.js";

/**
 * Bump when a conversation's code changes shape (steps added, removed or reordered): stored
 * replays of the old shape are then discarded instead of replayed into the wrong step.
 */
export const CONVERSATION_STORAGE_VERSION = 1;

/** Conversation state is stored under this prefix and the chat key (unfinished forms expire by it). */
export const CONVERSATION_PREFIX = "conversation:";

export function sessionStorage(deps: BotDeps): StorageAdapter<SessionData> {
  const { config, prisma } = deps;
  if (config.SESSION_STORAGE === "free") {
    const free = freeStorage<SessionData>(config.BOT_TOKEN, config.FREE_STORAGE_URL ? { rootUrl: config.FREE_STORAGE_URL } : undefined);
    // grammY only needs read/write/delete; readAllKeys' return type differs between the packages.
    return { read: free.read, write: free.write, delete: free.delete };
  }
  return new PrismaAdapter<SessionData>(prisma.session as never);
}

export function conversationAdapter<S>(deps: BotDeps): StorageAdapter<S> {
  return new PrismaAdapter<S>(deps.prisma.session as never);
}

/** Sessions, conversations and ordering all use the chat as the key. */
/** The session and conversation-state keys of a private chat (erasure deletes both). */
export const sessionKeysOf = (telegramId: bigint | number): string[] => [String(telegramId), `${CONVERSATION_PREFIX}${telegramId}`];

export function chatKey(ctx: { chat?: { id: number }; from?: { id: number } }): string | undefined {
  return ctx.chat?.id.toString() ?? ctx.from?.id.toString();
}
