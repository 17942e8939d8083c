// Downloads a file a person sent (a document) through the Bot API: getFile, then the file's URL under
// BOT_API_ROOT. The HTTP client is the bot's (deps.fetch in tests: the fake Telegram); the size is
// checked before and while reading, so a large file is refused rather than read into memory.
import type { Api } from "grammy";
import type { BotDeps } from "../context.js";

export type Download = { bytes: Buffer } | { refused: "too_big" | "failed" };

export async function downloadFile(api: Api, deps: BotDeps, fileId: string, maxBytes: number): Promise<Download> {
  try {
    const f = await api.getFile(fileId);
    if (!f.file_path || (f.file_size ?? 0) > maxBytes) return { refused: f.file_path ? "too_big" : "failed" };
    const res = await (deps.fetch ?? fetch)(`${deps.config.BOT_API_ROOT}/file/bot${deps.config.BOT_TOKEN}/${f.file_path}`);
    if (!res.ok) return { refused: "failed" };
    const bytes = Buffer.from(await res.arrayBuffer());
    return bytes.length > maxBytes ? { refused: "too_big" } : { bytes };
  } catch {
    return { refused: "failed" };
  }
}
