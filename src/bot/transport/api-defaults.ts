// What every Bot API client of the bot needs, installed on the bot's api and again inside
// conversations (which build their own Api without the bot's transformers).
import type { Api, RawApi, Transformer } from "grammy";
import { autoRetry } from "@grammyjs/auto-retry";

/** Messages are written in Telegram HTML; locales escape interpolated values for it. */
const htmlByDefault: Transformer<RawApi> = (prev, method, payload, signal) => {
  if ((method === "sendMessage" || method === "editMessageText") && payload && !("parse_mode" in payload)) {
    payload = { ...payload, parse_mode: "HTML", link_preview_options: { is_disabled: true } } as typeof payload;
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
  // The transformer installed last runs first: retries wrap everything, so a retried call is
  // rebuilt the same way each time. Inside a conversation these sit above its replay log, so a
  // replayed call is answered from the log and never sent twice.
  api.config.use(noBusyPolling);
  api.config.use(htmlByDefault);
  // 429 waits the time Telegram asks for; 5xx and network errors are retried with back-off.
  api.config.use(autoRetry({ maxRetryAttempts: 5, maxDelaySeconds: 60, rethrowInternalServerErrors: false, rethrowHttpErrors: false }));
}
