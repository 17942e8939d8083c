// What a person sent, as the case services take it: text, or the file of a photo (largest size),
// document, voice message, audio, video or video note with its caption, and the per-update key
// that makes storing it idempotent. Shared by the help-request form and both directions of the relay.
import type { Message } from "grammy/types";
import type { Incoming } from "../../../services/cases/messages.js";
import { editKey, messageKey, pressKey } from "../../../services/delivery/updates.js";
import type { FileKind } from "../../../services/vocabulary.js";

export interface Attachment {
  kind: FileKind;
  fileId: string;
  caption?: string;
}

/** The message filters of everything a case carries (grammY filter queries), for both sides' handlers. */
export const CASE_MESSAGES: ["message:text", "message:photo", "message:document", "message:voice", "message:audio", "message:video", "message:video_note"] = [
  "message:text", "message:photo", "message:document", "message:voice", "message:audio", "message:video", "message:video_note",
];

export function attachmentOf(m: Message): Attachment | null {
  const caption = m.caption ? { caption: m.caption } : {};
  if (m.photo) return { kind: "photo", fileId: m.photo.at(-1)!.file_id, ...caption };
  // An animation (GIF) also arrives with `document`; it is relayed as the document it is.
  if (m.document) return { kind: "document", fileId: m.document.file_id, ...caption };
  if (m.voice) return { kind: "voice", fileId: m.voice.file_id, ...caption };
  if (m.audio) return { kind: "audio", fileId: m.audio.file_id, ...caption };
  if (m.video) return { kind: "video", fileId: m.video.file_id, ...caption };
  if (m.video_note) return { kind: "video_note", fileId: m.video_note.file_id };
  return null;
}

// Per-update keys are spelled once, with the update inbox that records them.
export { editKey, messageKey, pressKey };

export function incomingOf(m: Message, chatId: number): Incoming {
  const file = attachmentOf(m);
  const text = file ? file.caption : m.text;
  return { ...(text !== undefined ? { text } : {}), kind: file?.kind ?? "text", ...(file ? { fileId: file.fileId } : {}), chatId, messageId: m.message_id, key: messageKey(m) };
}
