// A stand-in for Telegram's Bot API at the HTTP level: grammY's `client.fetch` is pointed at it,
// so every call is seen (also inside conversations) and answered the way Telegram answers.
import { CAPTION_LIMIT, TEXT_LIMIT, visibleLength } from "../../src/services/text.js";

export interface Call { method: string; payload: Record<string, any> }
export type Failure = { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

/** "hang": the call is never answered, as when the process dies while waiting for Telegram. */
export type Intercept = Failure | "hang" | undefined;

/** Files people "sent" (by file_id): getFile describes them and the file URL serves them. */
export const fakeFiles = new Map<string, string>();

export function fakeTelegramFetch(onCall: (call: Call) => Intercept, onSent?: (call: Call, messageId: number) => void): typeof fetch {
  let messageId = 100_000;
  return (async (url: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (String(url).includes("/file/bot")) {
      const content = fakeFiles.get(String(url).split("/").pop()!);
      return content === undefined ? new Response("Not Found", { status: 404 }) : new Response(content, { status: 200 });
    }
    const method = String(url).split("/").pop()!;
    const payload = typeof init?.body === "string" ? (JSON.parse(init.body) as Record<string, any>) : multipartFields(await readBody(init?.body));
    const call = { method, payload };
    const failure = onCall(call) ?? beyondLimits(call);
    if (failure === "hang") return new Promise<Response>(() => {});
    if (failure) return new Response(JSON.stringify(failure), { status: failure.error_code });
    let result: unknown = true;
    if (method === "getFile") {
      const content = fakeFiles.get(String(payload.file_id));
      if (content === undefined) return new Response(JSON.stringify({ ok: false, error_code: 400, description: "Bad Request: invalid file_id" }), { status: 400 });
      result = { file_id: payload.file_id, file_unique_id: `u${payload.file_id}`, file_size: Buffer.byteLength(content), file_path: `documents/${payload.file_id}` };
    }
    if (method.startsWith("send") || method === "copyMessage") {
      result = { message_id: ++messageId, date: Math.floor(Date.now() / 1000), chat: { id: payload.chat_id, type: "private" }, text: payload.text };
      onSent?.(call, messageId);
    }
    return new Response(JSON.stringify({ ok: true, result }), { status: 200, headers: { "content-type": "application/json" } });
  }) as typeof fetch;
}

/** Telegram refuses a text over 4096 characters or a caption over 1024 (counted after HTML parsing). */
function beyondLimits({ method, payload }: Call): Failure | undefined {
  const measure = (s: unknown) => (typeof s === "string" ? (payload.parse_mode === "HTML" ? visibleLength(s) : s.length) : 0);
  if ((method === "sendMessage" || method === "editMessageText") && measure(payload.text) > TEXT_LIMIT) return { ok: false, error_code: 400, description: "Bad Request: message is too long" };
  if (measure(payload.caption) > CAPTION_LIMIT) return { ok: false, error_code: 400, description: "Bad Request: message caption is too long" };
  return undefined;
}

/** An upload's plain fields (chat_id, caption, …) as a payload, and the whole body as `multipart`. */
function multipartFields(body: string): Record<string, any> {
  const fields: Record<string, any> = { multipart: body };
  for (const m of body.matchAll(/name="([a-z_]+)"\r\n\r\n([^\r]*)\r\n/g)) fields[m[1]!] = m[2];
  return fields;
}

/** Files are sent as multipart streams; tests read them back as text. */
async function readBody(body: unknown): Promise<string> {
  if (!body) return "";
  const chunks: Uint8Array[] = [];
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString("utf8");
}
