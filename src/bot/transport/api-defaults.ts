// What every Bot API client of the bot needs, installed on the bot's api and again inside
// conversations (which build their own Api without the bot's transformers), and the client the
// outbox delivers with.
import { Api, type RawApi, type Transformer } from "grammy";
import { autoRetry } from "@grammyjs/auto-retry";
import { cutHtml, splitHtml } from "../ui/fit.js";
import { CAPTION_LIMIT, TEXT_LIMIT, visibleLength } from "../../services/text.js";

/** The longest one outbox send may take; its claim on the row is several times longer. */
export const DELIVERY_TIMEOUT_SECONDS = 30;

/** Messages are written in Telegram HTML; locales escape interpolated values for it. */
const htmlByDefault: Transformer<RawApi> = (prev, method, payload, signal) => {
  if ((method === "sendMessage" || method === "editMessageText") && payload && !("parse_mode" in payload)) {
    payload = { ...payload, parse_mode: "HTML", link_preview_options: { is_disabled: true } } as typeof payload;
  }
  return prev(method, payload, signal);
};

const CAPTIONED = new Set(["sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendVoice", "sendAnimation", "copyMessage"]);

/**
 * Telegram refuses a text over 4096 characters or a caption over 1024, and what it refuses is
 * lost. Builders fit their messages; whatever still does not fit is sent in several messages (the
 * buttons on the last) or cut, never refused.
 */
const withinLimits: Transformer<RawApi> = async (prev, method, payload, signal) => {
  const p = payload as Record<string, unknown> | undefined;
  if (p && CAPTIONED.has(method) && typeof p.caption === "string" && visibleLength(p.caption) > CAPTION_LIMIT) {
    payload = { ...p, caption: cutHtml(p.caption, CAPTION_LIMIT) } as typeof payload;
  }
  if (p && method === "editMessageText" && typeof p.text === "string" && visibleLength(p.text) > TEXT_LIMIT) {
    payload = { ...p, text: cutHtml(p.text, TEXT_LIMIT) } as typeof payload;
  }
  if (p && method === "sendMessage" && typeof p.text === "string" && visibleLength(p.text) > TEXT_LIMIT) {
    const pieces = splitHtml(p.text, TEXT_LIMIT);
    const { reply_markup, reply_parameters, ...rest } = p;
    let last: Awaited<ReturnType<typeof prev>> | undefined;
    for (const [i, text] of pieces.entries()) {
      const part = { ...rest, text, ...(i === 0 && reply_parameters ? { reply_parameters } : {}), ...(i === pieces.length - 1 && reply_markup ? { reply_markup } : {}) };
      last = await prev(method, part as typeof payload, signal);
      if (!last.ok) return last;
    }
    return last!;
  }
  return prev(method, payload, signal);
};

/**
 * Telegram's getUpdates waits up to `timeout` seconds for news. A server that answers an empty
 * list at once (a misconfigured local Bot API server, an emulator) would make polling spin the
 * CPU; a short pause after an instant empty answer prevents that and costs nothing otherwise.
 */
const noBusyPolling: Transformer<RawApi> = async (prev, method, payload, signal) => {
  const started = Date.now();
  const res = await prev(method, payload, signal);
  if (method === "getUpdates" && res.ok && Array.isArray(res.result) && res.result.length === 0 && Date.now() - started < 100) {
    await new Promise((r) => setTimeout(r, 100));
  }
  return res;
};

export function installApiDefaults(api: Api): void {
  // The transformer installed last runs first: HTML is set, then an over-long text is split, and
  // each piece is retried on its own — so a 429 on the second piece never resends the first.
  // Inside a conversation these sit above its replay log, so a replayed call is answered from the
  // log and never sent twice.
  api.config.use(noBusyPolling);
  // 429 waits the time Telegram asks for; 5xx and network errors are retried with back-off.
  api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, rethrowInternalServerErrors: false, rethrowHttpErrors: false }));
  api.config.use(withinLimits);
  api.config.use(htmlByDefault);
}

/**
 * The client the outbox sends with: the same HTML and limits, but no waiting retries and a short
 * timeout. A failed send goes back to the outbox, which retries it later (after retry_after on a
 * 429) — so a send never outlives the row's claim and two processes never both send it.
 */
export function createDeliveryApi(token: string, client: { apiRoot?: string; fetch?: typeof fetch } = {}): Api {
  const api = new Api(token, { ...client, timeoutSeconds: DELIVERY_TIMEOUT_SECONDS });
  api.config.use(withinLimits);
  api.config.use(htmlByDefault);
  return api;
}
