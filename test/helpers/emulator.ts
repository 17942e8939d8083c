// End-to-end helpers: a Bot API emulator (telegram-test-api) on loopback and the real bot process
// (`tsx src/main.ts`) talking to it through BOT_API_ROOT.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import * as emulatorModule from "telegram-test-api";
import * as emulatorRoutes from "telegram-test-api/lib/routes/index.js";
import type { TelegramServer as Emulator } from "telegram-test-api/lib/telegramServer.js";

export type { Emulator };
const TelegramServer = ((emulatorModule as any).default?.default ?? (emulatorModule as any).default) as typeof Emulator;

// telegram-test-api has no sendDocument, and /mydata answers with a file. This route takes grammY's
// multipart upload the way Telegram does and keeps the file (name and contents) with the bot's
// messages, so a test reads what the person would download. It goes first: the emulator's
// catch-all for unknown methods comes later in the same list.
const routes: ((app: any, server: Emulator) => void)[] = ((emulatorRoutes as any).default ?? emulatorRoutes).routes;
if (!routes.some((r) => r.name === "sendDocument")) {
  routes.unshift(function sendDocument(app, server) {
    app.post("/bot:token/sendDocument", async (req: any, res: any) => {
      try {
        const chunks: Buffer[] = [];
        for await (const chunk of req) chunks.push(chunk as Buffer);
        const parts = multipart(Buffer.concat(chunks).toString("utf8"), String(req.headers["content-type"]));
        const field = (name: string) => parts.find((p) => p.name === name);
        // grammY sends `document` as "attach://<part>" and the bytes in that part.
        const ref = field("document")?.body ?? "";
        const upload = ref.startsWith("attach://") ? field(ref.slice("attach://".length)) : undefined;
        if (!upload?.filename) throw new Error("sendDocument without a file upload");
        const caption = field("caption")?.body;
        const document = { file_name: upload.filename, contents: upload.body };
        const result = server.addBotMessage({ chat_id: field("chat_id")?.body, text: caption, caption, document } as any, req.params.token);
        res.sendResult({ ok: true, result });
      } catch (err) {
        res.sendError(err as Error);
      }
    });
  });
}

// Nor has it sendPhoto, sendVoice and the other sends of a file Telegram already holds (by file_id,
// a JSON body): the bot relays what people send in a case that way. Each is kept with the bot's
// messages like a text, its caption as the text and the method and file id beside it, so a test
// reads what the other side received.
const FILE_SENDS = { sendPhoto: "photo", sendVoice: "voice", sendAudio: "audio", sendVideo: "video", sendVideoNote: "video_note" } as const;
for (const [method, field] of Object.entries(FILE_SENDS)) {
  if (routes.some((r) => r.name === method)) continue;
  const route = (app: any, server: Emulator) => {
    app.post(`/bot:token/${method}`, (req: any, res: any) => {
      try {
        const body = req.body ?? {};
        if (typeof body[field] !== "string") throw new Error(`${method} without a file id`);
        const result = server.addBotMessage({ ...body, text: body.caption ?? "", method, file_id: body[field] } as any, req.params.token);
        res.sendResult({ ok: true, result });
      } catch (err) {
        res.sendError(err as Error);
      }
    });
  };
  Object.defineProperty(route, "name", { value: method });
  routes.unshift(route);
}

/** Just enough multipart/form-data parsing for the text files the bot sends (grammY's framing). */
function multipart(body: string, contentType: string): { name: string; filename?: string; body: string }[] {
  const boundary = /boundary=("?)([^";]+)\1/i.exec(contentType)?.[2];
  if (!boundary) throw new Error("multipart upload without a boundary");
  return body.split(`--${boundary}`).slice(1, -1).map((part) => {
    const split = part.indexOf("\r\n\r\n");
    const head = part.slice(0, split);
    const value = (key: string) => new RegExp(`${key}="?([^";\r\n]+)"?`, "i").exec(head)?.[1];
    return { name: value("name") ?? "", filename: value("filename"), body: part.slice(split + 4, -2) };
  });
}

export const E2E_TOKEN = "987654321:AAe2e-token-for-emulator-only_xxxxxxxxx";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export async function startEmulator(): Promise<Emulator> {
  const server = new TelegramServer({ port: await freePort(), host: "127.0.0.1", storeTimeout: 600 });
  await server.start();
  return server;
}

export interface BotProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the real bot and waits until it polls. */
export async function startBot(env: Record<string, string>): Promise<BotProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BOT_TOKEN: E2E_TOKEN, LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const deadline = Date.now() + 30_000;
  while (!out.includes("polling mode: started")) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`bot did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out, exited };
}

export interface BotMessage {
  messageId: number;
  text: string;
  buttons: [string, string][];
  /** A file the bot sent (sendDocument), as the person would download it. */
  document?: { file_name: string; contents: string };
  /** A file sent by its Telegram file id (sendVoice, sendPhoto, …): the method and the id. */
  file?: { method: string; fileId: string };
}

/** Everything the bot sent to a chat so far, with edits applied. */
export function botMessages(server: Emulator, chatId: number): BotMessage[] {
  return server.storage.botMessages
    .filter((m) => String(m.message.chat_id) === String(chatId))
    .map((m) => ({
      messageId: m.messageId,
      text: String(m.message.text),
      buttons: ((m.message.reply_markup as any)?.inline_keyboard ?? []).flat().map((b: any) => [b.text, b.callback_data]),
      document: (m.message as any).document,
      ...((m.message as any).file_id ? { file: { method: (m.message as any).method, fileId: (m.message as any).file_id } } : {}),
    }));
}

/** Waits for a message to the chat that matches, sent after the first `after` messages. */
export async function waitForMessage(server: Emulator, chatId: number, match: RegExp, after = 0, timeoutMs = 15_000): Promise<BotMessage> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = botMessages(server, chatId).slice(after).find((m) => match.test(m.text));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no message matching ${match} in chat ${chatId}; got:\n${botMessages(server, chatId).map((m) => m.text).join("\n---\n")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

type Client = ReturnType<Emulator["getClient"]>;

/** A person using the emulator's client: types, presses the newest button with given data, reads replies. */
export function person(server: Emulator, client: Client, chatId: number) {
  let seen = 0;
  const mark = () => (seen = botMessages(server, chatId).length);
  return {
    async command(text: string) {
      mark();
      await client.sendCommand(client.makeCommand(text));
    },
    async say(text: string) {
      mark();
      await client.sendMessage(client.makeMessage(text));
    },
    /**
     * Sends a message of another kind (a voice message, say): the emulator's client only makes text
     * messages, so its text is dropped and `fields` (as Telegram would put them) take its place. The
     * emulator hands the update on to the bot as it is.
     */
    async send(fields: Record<string, unknown>) {
      mark();
      const { text: _text, ...message } = client.makeMessage("") as Record<string, unknown>;
      await client.sendMessage({ ...message, ...fields } as never);
    },
    async press(data: string) {
      const msg = [...botMessages(server, chatId)].reverse().find((m) => m.buttons.some((b) => b[1] === data));
      if (!msg) throw new Error(`no button ${data} in chat ${chatId}`);
      mark();
      await client.sendCallback(client.makeCallbackQuery(data, { message: { message_id: msg.messageId } }));
    },
    /** Waits for a reply to the last action that matches. */
    expect(match: RegExp, timeoutMs?: number) {
      return waitForMessage(server, chatId, match, seen, timeoutMs);
    },
  };
}

/** An emulator and a scratch SQLite database for one e2e file; stop() kills what is still running. */
export async function e2eWorld(extraEnv: Record<string, string> = {}) {
  const { mkdtempSync, rmSync } = await import("node:fs");
  const { tmpdir } = await import("node:os");
  const path = await import("node:path");
  const server = await startEmulator();
  const dir = mkdtempSync(path.join(tmpdir(), "bot-e2e-"));
  const dbFile = path.join(dir, "bot.db");
  const env = { BOT_API_ROOT: server.config.apiURL, DATABASE_URL: `file:${dbFile}`, ...extraEnv };
  const running: BotProcess[] = [];
  return {
    server,
    env,
    dbFile,
    running,
    async start(overrides: Record<string, string> = {}) {
      const p = await startBot({ ...env, ...overrides });
      running.push(p);
      return p;
    },
    async stop() {
      for (const p of running) p.child.kill("SIGKILL");
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
