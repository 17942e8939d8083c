// The project's own Bot API server (sandbox and e2e tests), driven by grammY's real client over
// loopback: Telegram's result shapes, its refusals, long polling, uploads and downloads.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Api, GrammyError, InputFile } from "grammy";
import { startBotApiServer, type Change } from "../../src/sandbox/bot-api/server.js";

const TOKEN = "123456789:AAtest-token-for-the-bot-api-server_xx";
let srv: Awaited<ReturnType<typeof startBotApiServer>>;
let api: Api;
beforeAll(async () => {
  srv = await startBotApiServer(0);
  api = new Api(TOKEN, { apiRoot: srv.apiRoot });
  srv.api.state.addUser({ id: 501, first_name: "Мария" });
  srv.api.state.addUser({ id: 502, first_name: "Анна" });
});
afterAll(() => srv.stop());

const refusal = async (p: Promise<unknown>) => {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(GrammyError);
  return `${(err as GrammyError).error_code} ${(err as GrammyError).description}`;
};
const raw = (path: string, init?: RequestInit) => fetch(`${srv.apiRoot}${path}`, init).then(async (r) => [r.status, await r.json()] as const);

describe("calls and shapes", () => {
  it("getMe: the bot of the token; an unknown method 404; a malformed token 401", async () => {
    expect(await api.getMe()).toMatchObject({ id: 123456789, is_bot: true, username: "sandbox_bot" });
    expect(await raw(`/bot${TOKEN}/sendSticker`, { method: "POST" })).toEqual([404, { ok: false, error_code: 404, description: "Not Found: method not found" }]);
    expect(await raw(`/botnot-a-token/getMe`)).toEqual([401, { ok: false, error_code: 401, description: "Unauthorized" }]);
  });

  it("sendMessage: Telegram's message back, HTML parsed; refused for an unknown chat, bad HTML, empty or too long text", async () => {
    const m = await api.sendMessage(501, "<b>Привет</b> &amp; всё", { parse_mode: "HTML", reply_markup: { inline_keyboard: [[{ text: "Да", callback_data: "yes" }]] } });
    expect(m).toMatchObject({ message_id: expect.any(Number), chat: { id: 501, type: "private", first_name: "Мария" }, from: { is_bot: true }, text: "Привет & всё", reply_markup: { inline_keyboard: [[{ text: "Да", callback_data: "yes" }]] } });
    expect(await refusal(api.sendMessage(999, "x"))).toBe("400 Bad Request: chat not found");
    expect(await refusal(api.sendMessage(501, "<b>open", { parse_mode: "HTML" }))).toMatch(/^400 Bad Request: can't parse entities: Can't find end tag/);
    expect(await refusal(api.sendMessage(501, "<div>x</div>", { parse_mode: "HTML" }))).toMatch(/^400 Bad Request: can't parse entities: Unsupported start tag "div"/);
    expect(await refusal(api.sendMessage(501, "   "))).toBe("400 Bad Request: message text is empty");
    // The limit counts what a reader sees: 4096 characters inside tags pass, 4097 do not.
    await api.sendMessage(501, `<b>${"я".repeat(4096)}</b>`, { parse_mode: "HTML" });
    expect(await refusal(api.sendMessage(501, `<b>${"я".repeat(4097)}</b>`, { parse_mode: "HTML" }))).toBe("400 Bad Request: message is too long");
    expect(await refusal(api.sendMessage(501, "x", { reply_markup: { inline_keyboard: [[{ text: "x", callback_data: "d".repeat(65) }]] } }))).toBe("400 Bad Request: BUTTON_DATA_INVALID");
  });

  it("edits and deletions as Telegram answers them", async () => {
    const m = await api.sendMessage(501, "один", { reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] } });
    expect(await refusal(api.editMessageText(501, m.message_id, "один", { reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] } }))).toMatch(/^400 Bad Request: message is not modified/);
    const edited = await api.editMessageText(501, m.message_id, "два");
    expect(edited).toMatchObject({ text: "два", edit_date: expect.any(Number) });
    expect((edited as { reply_markup?: unknown }).reply_markup).toBeUndefined(); // an edit without markup drops the keyboard
    expect(await refusal(api.editMessageReplyMarkup(501, 987654))).toBe("400 Bad Request: message to edit not found");
    expect(await api.deleteMessage(501, m.message_id)).toBe(true);
    expect(await refusal(api.deleteMessage(501, m.message_id))).toBe("400 Bad Request: message to delete not found");
  });
});

describe("people's side", () => {
  it("getUpdates waits for news and confirms by offset; a press is answered once", async () => {
    const seen = (await api.getUpdates({ timeout: 0 })).map((u) => u.update_id);
    const offset = seen.length ? Math.max(...seen) + 1 : 0;
    const started = Date.now();
    setTimeout(() => srv.api.state.userSends(501, { text: "/start ev_club" }), 150);
    const [u] = await api.getUpdates({ offset, timeout: 5 });
    expect(Date.now() - started).toBeLessThan(3000);
    expect(u!.message).toMatchObject({ text: "/start ev_club", from: { id: 501, is_bot: false }, entities: [{ type: "bot_command", offset: 0, length: 6 }] });
    expect(await api.getUpdates({ offset: u!.update_id + 1, timeout: 0 })).toEqual([]);

    const msg = await api.sendMessage(501, "?", { reply_markup: { inline_keyboard: [[{ text: "Да", callback_data: "yes" }]] } });
    const changes: Change[] = [];
    srv.api.state.on("change", (c: Change) => changes.push(c));
    const id = srv.api.state.userPresses(501, msg.message_id, "yes");
    const [press] = await api.getUpdates({ offset: u!.update_id + 1, timeout: 1 });
    expect(press!.callback_query).toMatchObject({ id, data: "yes", from: { id: 501 }, message: { message_id: msg.message_id } });
    await api.answerCallbackQuery(id, { text: "Готово" });
    expect(changes).toContainEqual({ kind: "answer", chatId: 501, callbackId: id, answer: { text: "Готово" } });
    expect(await refusal(api.answerCallbackQuery(id))).toMatch(/^400 Bad Request: query is too old/);
  });

  it("uploads keep their bytes: sendPhoto → getFile → download; copyMessage keeps the file; caption limit", async () => {
    const bytes = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 1, 2, 13, 10, 45, 45, 255]);
    const sent = await api.sendPhoto(501, new InputFile(bytes, "снимок.png"), { caption: "<i>фото</i>", parse_mode: "HTML" });
    expect(sent).toMatchObject({ caption: "фото", photo: [{ file_id: expect.any(String), file_size: bytes.length }] });
    const file = await api.getFile(sent.photo!.at(-1)!.file_id);
    const res = await fetch(`${srv.apiRoot}/file/bot${TOKEN}/${file.file_path}`);
    expect(Buffer.from(await res.arrayBuffer())).toEqual(bytes);
    expect(res.headers.get("content-type")).toBe("image/png");

    const doc = srv.api.state.userSends(501, { document: { filename: "справка.pdf", mime: "application/pdf", bytes: Buffer.from("%PDF-1.4") } });
    const copy = await api.copyMessage(502, 501, doc.message.message_id, { caption: "📎 #A-1" });
    const copied = srv.api.state.find(502, copy.message_id)!;
    expect(copied.message).toMatchObject({ caption: "📎 #A-1", document: { file_name: "справка.pdf", mime_type: "application/pdf" } });
    expect(await refusal(api.sendDocument(501, new InputFile(Buffer.from("x"), "a.txt"), { caption: "я".repeat(1025) }))).toBe("400 Bad Request: message caption is too long");
  });

  it("a reply keyboard belongs to the chat; a one-time one goes once the person answers", async () => {
    await api.sendMessage(502, "Ваш номер?", { reply_markup: { keyboard: [[{ text: "📱 Отправить мой номер", request_contact: true }]], one_time_keyboard: true, resize_keyboard: true } });
    expect(srv.api.state.chats.get(502)!.replyKeyboard).toMatchObject({ keyboard: [[{ request_contact: true }]] });
    const contact = srv.api.state.userSends(502, { contact: { phone_number: "+79001112233" } });
    expect(contact.message.contact).toEqual({ phone_number: "+79001112233", first_name: "Анна", user_id: 502 });
    expect(srv.api.state.chats.get(502)!.replyKeyboard).toBeUndefined();
  });

  it("the command menu per language", async () => {
    await api.setMyCommands([{ command: "start", description: "Начать" }], { language_code: "ru" });
    expect(await api.getMyCommands({ language_code: "ru" })).toEqual([{ command: "start", description: "Начать" }]);
    expect(await refusal(api.setMyCommands([{ command: "Bad-Command", description: "x" }]))).toBe("400 Bad Request: BOT_COMMAND_INVALID");
  });
});
