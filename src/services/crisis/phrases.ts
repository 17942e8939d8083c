// The words that make a message sound like a crisis: suicide, self-harm, violence, an urgent cry for
// help. A small list of phrases and word stems per language (data, not logic: add a phrase here and
// its test in test/unit/crisis.test.ts). Written as people write them; detect.ts forgives typos.
import type { Locale } from "../../i18n.js";

export const CRISIS_PHRASES: Record<Locale, string[]> = {
  ru: [
    "суицид", "самоубийств", "покончить с собой", "покончу с собой", "убить себя", "убью себя", "не хочу жить", "не хочется жить", "жить не хочу",
    "жить не хочется", "не хочу больше жить", "больше не хочу жить", "не хочется больше жить", "не могу больше жить", "хочу умереть", "нет смысла жить", "повеситься", "повешусь", "вскрыть вены", "вскрою вены",
    "наложить на себя руки", "свести счёты с жизнью", "спрыгну с", "наглотаться таблеток",
    "насилие", "насилия", "избивает", "избил", "изнасил", "бьёт меня", "бьёт детей", "угрожает убить", "убьёт меня", "убьет нас",
    "помогите срочно", "срочно помогите", "срочно нужна помощь", "спасите",
  ],
  en: [
    "suicid", "kill myself", "end my life", "end it all", "want to die", "don't want to live", "dont want to live", "no reason to live",
    "hurt myself", "self harm", "abuse", "violence", "violent", "beats me", "beating me", "rape", "threatens to kill", "help urgently", "urgent help",
  ],
  lt: [
    "savižudyb", "nusižudyti", "nusižudysiu", "nenoriu gyventi", "nebenoriu gyventi", "noriu mirti", "smurt", "muša mane", "prievart",
    "grasina nužudyti", "padėkite skubiai", "skubiai padėkite", "gelbėkite",
  ],
};
