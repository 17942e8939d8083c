// Direct replies (ctx.reply, edits, files, copies — everything an update makes the bot send) take
// their slot of the budget every process shares (services/delivery/budget.ts) and keep the gap per
// chat (services/delivery/chat-gap.ts); a 429 sets the shared pause for every process.
//
// It wraps the bot's HTTP fetch rather than being an API transformer: the fetch sits beneath the
// conversations' replay log (they build their own Api from the bot's client options), so a call a
// conversation replays from its log takes no slot; and every try of auto-retry takes its own
// (auto-retry waits retry_after itself, and the next try finds the budget paused until then).
import { createRequire } from "node:module";
import type { BotDeps } from "../context.js";
import { budgetFor, realTimer } from "../../services/delivery/budget.js";
import { chatGapsFor } from "../../services/delivery/chat-gap.js";

/** Calls that put a message in a chat or change one; answerCallbackQuery, sendChatAction and getters are not paced. */
const PACED = /^(send(?!ChatAction$)\w+|copyMessages?|forwardMessages?|editMessage\w+|stopPoll)$/;

/** How many messages one call makes (an album, several copied at once). */
function messagesIn(method: string, payload: Record<string, unknown> | undefined): number {
  if (method === "sendMediaGroup" && Array.isArray(payload?.media)) return Math.max(1, payload.media.length);
  if ((method === "copyMessages" || method === "forwardMessages") && Array.isArray(payload?.message_ids)) return Math.max(1, payload.message_ids.length);
  return 1;
}

function jsonBody(init: RequestInit | undefined): Record<string, unknown> | undefined {
  if (typeof init?.body !== "string") return undefined; // an upload (multipart): paced, without its chat's gap
  try {
    return JSON.parse(init.body) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The fetch grammY uses when given none (node-fetch, its own dependency, with its keep-alive
 * agents and polyfilled abort signals): wrapped, not replaced.
 */
function grammyDefaultFetch(): typeof fetch {
  const fromGrammy = createRequire(createRequire(import.meta.url).resolve("grammy"));
  const m = fromGrammy("node-fetch") as { default?: typeof fetch };
  return m.default ?? (m as unknown as typeof fetch);
}

/** The bot's fetch: `inner` (grammY's default, or a test's fake Telegram) with the shared pacing. */
export function pacedFetch(deps: Pick<BotDeps, "prisma" | "config">, inner: typeof fetch = grammyDefaultFetch()): typeof fetch {
  const budget = budgetFor(deps.prisma, deps.config.OUTBOX_RATE_PER_SECOND);
  const chats = chatGapsFor(deps.prisma, deps.config.OUTBOX_CHAT_GAP_MS, deps.config.BOT_TOKEN);
  return (async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const method = String(url instanceof Request ? url.url : url).split("/").pop() ?? "";
    if (!PACED.test(method)) return inner(url, init);
    const payload = jsonBody(init);
    const n = messagesIn(method, payload);
    const signal = init?.signal ?? undefined;
    const chat = payload?.chat_id;
    if (typeof chat === "number" || typeof chat === "string") {
      const now = realTimer.now();
      await realTimer.sleep((await chats.book(chat, n, now)) - now, signal);
    }
    await budget.turn(await budget.slots(n), n, { onPause: "wait", signal });
    const res = await inner(url, init);
    if (res.status === 429) {
      const body = (await res.clone().json().catch(() => undefined)) as { parameters?: { retry_after?: number } } | undefined;
      // Everyone waits; auto-retry then tries this one again after retry_after.
      await budget.pause(realTimer.now() + (body?.parameters?.retry_after ?? 1) * 1000).catch(() => undefined);
    }
    return res;
  }) as typeof fetch;
}
