// Messages that sound like a crisis (suicide, violence, an urgent cry for help) get the crisis
// contacts before anything else. A short list of phrases and word stems per language, matched on
// normalised text; it errs towards showing the contacts, which never hurts.
import type { Locale } from "../../i18n.js";

const PHRASES: Record<Locale, string[]> = {
  ru: [
    "суицид", "самоубийств", "покончить с собой", "покончу с собой", "убить себя", "убью себя", "не хочу жить", "не хочется жить", "жить не хочу",
    "повеситься", "повешусь", "вскрыть вены", "наложить на себя руки", "свести счёты с жизнью",
    "насилие", "насилия", "избивает", "избил", "изнасил", "бьёт меня", "бьет меня", "бьёт детей", "угрожает убить", "убьёт меня",
    "помогите срочно", "срочно помогите", "спасите",
  ],
  en: ["suicid", "kill myself", "end my life", "want to die", "don't want to live", "dont want to live", "hurt myself", "abuse", "violence", "violent", "beats me", "beating me", "rape", "threatens to kill", "help urgently", "urgent help"],
  lt: ["savižudyb", "nusižudyti", "nusižudysiu", "nenoriu gyventi", "smurt", "muša mane", "prievart", "grasina nužudyti", "padėkite skubiai", "skubiai padėkite", "gelbėkite"],
};

/** Lower case, ё as е, й as и, letters without accents, single spaces: typed or not, the same. */
function normalise(text: string): string {
  return ` ${text.toLowerCase().replace(/ё/g, "е").replace(/й/g, "и").normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^\p{L}\p{N}']+/gu, " ").trim()} `;
}

const ALL = Object.values(PHRASES).flat().map((p) => normalise(p).trim());

/** Whether a message sounds like a crisis, in any of the languages (people mix them). */
export function soundsLikeCrisis(text: string): boolean {
  const t = normalise(text);
  return ALL.some((p) => t.includes(p)) || / sos /.test(t);
}
