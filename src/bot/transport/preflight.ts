// The first call of a start: who is this bot (getMe). It fails within a fixed time with one line an
// administrator can act on — the Bot API cannot be reached (naming BOT_API_ROOT and what was
// tried), or Telegram refused the token (and how to get a new one) — instead of retrying silently.
import type { UserFromGetMe } from "grammy/types";

export class StartError extends Error {}

/** How long the first getMe may take before the start gives up. */
export const PREFLIGHT_TIMEOUT_MS = 10_000;

export async function whoAmI(token: string, apiRoot: string, timeoutMs = PREFLIGHT_TIMEOUT_MS, fetchFn: typeof fetch = fetch): Promise<UserFromGetMe> {
  const root = apiRoot.replace(/\/+$/, "");
  // The token's secret half never appears in what is printed.
  const shown = `${root}/bot${token.split(":")[0]}:…/getMe`;
  const seconds = Math.round(timeoutMs / 1000);
  const unreachable = (why: string) =>
    new StartError(
      `Cannot reach the Bot API at ${root} (BOT_API_ROOT): tried ${shown}, ${why}. Check this machine's internet access (or firewall/proxy), ` +
        `or set BOT_API_ROOT to a Bot API server it can reach. To try the bot without Telegram, leave BOT_TOKEN empty to start the sandbox.`,
    );
  let res: Response;
  try {
    res = await fetchFn(`${root}/bot${token}/getMe`, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string; message?: string } };
    if (e.name === "TimeoutError" || e.name === "AbortError") throw unreachable(`no answer within ${seconds} s`);
    throw unreachable(`it failed: ${e.cause?.code ?? e.cause?.message ?? e.message}`);
  }
  let body: { ok?: boolean; result?: UserFromGetMe; error_code?: number; description?: string };
  try {
    body = (await res.json()) as typeof body;
  } catch {
    throw new StartError(`The server at ${root} (BOT_API_ROOT) answered ${shown} with HTTP ${res.status} that is not the Bot API's JSON; check BOT_API_ROOT (Telegram's is https://api.telegram.org).`);
  }
  if (body.ok && body.result) return body.result;
  if (res.status === 401 || body.error_code === 401) {
    throw new StartError(
      "Telegram refused the token (401 Unauthorized): BOT_TOKEN is wrong or was revoked. In Telegram open @BotFather, send /mybots, choose the bot, " +
        "then API Token (or /revoke for a new one), and put the token it shows in BOT_TOKEN.",
    );
  }
  if (res.status === 404 || body.error_code === 404) {
    throw new StartError(`The Bot API at ${root} (BOT_API_ROOT) answered ${shown} with 404 Not Found: the token is not a bot's token, or BOT_API_ROOT is not a Bot API server.`);
  }
  throw new StartError(`The Bot API at ${root} (BOT_API_ROOT) answered ${shown} with ${body.error_code ?? res.status}: ${body.description ?? "no description"}.`);
}
