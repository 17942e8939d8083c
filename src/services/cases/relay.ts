// How one message in a case reaches the other side: a text in as many pieces as it needs to fit a
// Telegram message with the case header; a file (photo, document, voice, audio, video) with its
// caption kept, and a caption too long for one (with the header) sent on in follow-up messages; a
// video note, which Telegram lets carry no caption, after a line with the header. The number of
// pieces is fixed when the relay is queued (one outbox row each), so a piece is sent once even if
// another fails.
import { CAPTION_LIMIT, HEADER_ROOM, splitText, TEXT_LIMIT } from "../text.js";

export const RELAY_TEXT_MAX = TEXT_LIMIT - HEADER_ROOM;
export const RELAY_CAPTION_MAX = CAPTION_LIMIT - HEADER_ROOM;

/** Kinds of file Telegram sends without a caption. */
const CAPTIONLESS = new Set(["video_note"]);

export type RelayPart = { file: true; caption: string } | { file: false; text: string };

export interface Relayable {
  kind: string;
  text: string | null;
  fileId: string | null;
}

/** The pieces a stored case message is relayed in, in order. */
export function relayParts(m: Relayable): RelayPart[] {
  const text = m.text ?? "";
  const texts = (): RelayPart[] => splitText(text, RELAY_TEXT_MAX).map((t) => ({ file: false, text: t }));
  if (!m.fileId) return texts();
  if (CAPTIONLESS.has(m.kind)) return [...texts(), { file: true, caption: "" }];
  if (text.length <= RELAY_CAPTION_MAX) return [{ file: true, caption: text }];
  return [{ file: true, caption: "" }, ...texts()];
}
