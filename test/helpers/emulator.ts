// End-to-end helpers: the project's own Bot API server (src/sandbox/bot-api, the one the sandbox
// embeds) on loopback, and the real bot process (`tsx src/main.ts`) talking to it through BOT_API_ROOT.
import { spawn, type ChildProcess } from "node:child_process";
import { startBotApiServer } from "../../src/sandbox/bot-api/server.js";

export type Emulator = Awaited<ReturnType<typeof startBotApiServer>>;

export const E2E_TOKEN = "987654321:AAe2e-token-for-emulator-only_xxxxxxxxx";

export function startEmulator(): Promise<Emulator> {
  return startBotApiServer(0);
}

export interface BotProcess {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the real bot and waits until it prints `ready` (polling started, by default). */
export async function startBot(env: Record<string, string>, ready = "polling mode: started"): Promise<BotProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts"], {
    // The tests answer at machine speed; one message a second per chat (after a short burst) would
    // triple their time, so it is off unless a test sets it (test/bot/pacing.test.ts covers it).
    env: { PATH: process.env.PATH, HOME: process.env.HOME, BOT_TOKEN: E2E_TOKEN, LOG_LEVEL: "info", OUTBOX_CHAT_GAP_MS: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  const deadline = Date.now() + 30_000;
  while (!out.includes(ready)) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`bot did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { child, output: () => out, exited };
}

export interface BotMessage {
  messageId: number;
  /** The text (or a file's caption) exactly as the bot wrote it, HTML included. */
  text: string;
  buttons: [string, string][];
  /** A file the bot sent (sendDocument), as the person would download it. */
  document?: { file_name: string; contents: string };
  /** Any file the bot sent (sendVoice, sendPhoto, sendDocument…): the method and the file id. */
  file?: { method: string; fileId: string };
  deleted: boolean;
}

const FILE_FIELDS = ["photo", "voice", "audio", "video", "video_note", "animation", "document"] as const;
const SEND_OF: Record<(typeof FILE_FIELDS)[number], string> = { photo: "sendPhoto", voice: "sendVoice", audio: "sendAudio", video: "sendVideo", video_note: "sendVideoNote", animation: "sendAnimation", document: "sendDocument" };

/** Everything the bot sent to a chat so far, with edits applied (deleted ones flagged, kept in place). */
export function botMessages(server: Emulator, chatId: number): BotMessage[] {
  return (server.api.state.chats.get(chatId)?.entries ?? [])
    .filter((e) => e.fromBot)
    .map((e) => ({
      messageId: e.message.message_id,
      text: String(e.raw ?? ""),
      buttons: ((e.message.reply_markup as any)?.inline_keyboard ?? []).flat().map((b: any) => [b.text, b.callback_data]),
      document: e.message.document && e.file ? { file_name: e.file.name, contents: e.file.bytes.toString("utf8") } : undefined,
      ...(e.file ? { file: { method: SEND_OF[FILE_FIELDS.find((f) => e.message[f] !== undefined) ?? "document"], fileId: e.file.file_id } } : {}),
      deleted: e.deleted,
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

/** A Telegram user of the emulator: types, presses the newest button with given data, reads replies. */
export function person(server: Emulator, user: { userId: number; firstName: string; userName?: string }) {
  const chatId = user.userId;
  server.api.state.addUser({ id: chatId, first_name: user.firstName, ...(user.userName ? { username: user.userName } : {}) });
  let seen = 0;
  const mark = () => (seen = botMessages(server, chatId).length);
  return {
    chatId,
    async command(text: string) {
      mark();
      server.api.state.userSends(chatId, { text });
    },
    async say(text: string) {
      mark();
      server.api.state.userSends(chatId, { text });
    },
    async shareContact(phone: string) {
      mark();
      server.api.state.userSends(chatId, { contact: { phone_number: phone } });
    },
    /**
     * Sends a message of another kind, its fields as Telegram puts them (a voice message, say:
     * `{ voice: { file_id, … } }`). Their file ids become files the server holds, as Telegram's do,
     * so the bot can send them on by id.
     */
    async send(fields: Record<string, unknown>) {
      mark();
      for (const f of FILE_FIELDS) {
        const v = fields[f] as { file_id?: string; mime_type?: string } | { file_id?: string }[] | undefined;
        for (const file of Array.isArray(v) ? v : v ? [v] : []) {
          if (file.file_id) server.api.state.files.set(file.file_id, { file_id: file.file_id, file_unique_id: file.file_id, file_path: `${f}s/${file.file_id}`, name: file.file_id, mime: "application/octet-stream", bytes: Buffer.alloc(0) });
        }
      }
      server.api.state.userSendsMessage(chatId, fields);
    },
    async press(data: string) {
      const msg = [...botMessages(server, chatId)].reverse().find((m) => !m.deleted && m.buttons.some((b) => b[1] === data));
      if (!msg) throw new Error(`no button ${data} in chat ${chatId}`);
      mark();
      server.api.state.userPresses(chatId, msg.messageId, data);
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
  const env = { BOT_API_ROOT: server.apiRoot, DATABASE_URL: `file:${dbFile}`, ...extraEnv };
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
