"""Event-type and actor rules as plain data, and the classifier that applies them.

Rules will move to database tables editable in the admin; until then `default_rules()`
is the built-in table. Phrases are written naturally and normalised when matched. A
phrase ending in "*" is a stem: it may be followed by more letters of the same word
("داهم*" matches داهمت، داهموا).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .normalize import normalize

BATTLES = "battles"
EXPLOSIONS = "explosions_remote_violence"
VIOLENCE_AGAINST_CIVILIANS = "violence_against_civilians"
STRATEGIC = "strategic_developments"
PROTESTS = "protests"
UNKNOWN_EVENT = ""


@dataclass(frozen=True, slots=True)
class EventRule:
    """Keywords that mark one event type (and sub-event type) in a sentence."""

    event_type: str
    sub_event_type: str
    keywords: tuple[str, ...]
    priority: int = 0  # the highest-priority rule with a hit wins


@dataclass(frozen=True, slots=True)
class Actor:
    """A named actor with its Arabic and English aliases."""

    name: str
    name_ar: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Rules:
    """Everything rule-based the pipeline uses; plain data so it can live in the database."""

    events: tuple[EventRule, ...]
    actors: tuple[Actor, ...]
    event_labels: tuple[tuple[str, str, str], ...] = ()  # (event type, English label, Arabic label)
    # (ACLED sub-event type, Arabic label): the English label is ACLED's name itself.
    sub_event_labels: tuple[tuple[str, str], ...] = ()
    organisations: tuple[str, ...] = ()  # names containing a place that are not places (agencies, groups)
    ambiguous_names: tuple[str, ...] = ()  # place names that are also common words: need context
    background_cues: tuple[str, ...] = ()  # phrases that make a sentence background (context role)
    # Phrases that state a pattern over time («تتركز الهجمات في…»): background even with an event word.
    pattern_cues: tuple[str, ...] = ()
    reporting_cues: tuple[str, ...] = ()  # phrases just before a place that make it a reporting location
    near_cues: tuple[str, ...] = field(default=())  # phrases before a place meaning "near it" (precision 2)
    not_places: tuple[str, ...] = ()  # normalised keys analysts marked "not a place": never mentions

    def label(self, event_type: str) -> tuple[str, str]:
        """Return the English and Arabic labels of an event type."""
        for key, en, ar in self.event_labels:
            if key == event_type:
                return en, ar
        return event_type, event_type

    def sub_label(self, sub_event_type: str) -> tuple[str, str]:
        """Return the English (ACLED's name) and Arabic labels of a sub-event type."""
        for key, ar in self.sub_event_labels:
            if key == sub_event_type:
                return key, ar
        return sub_event_type, sub_event_type


def default_rules() -> Rules:
    """Return the built-in rule table."""
    return _DEFAULT


# ACLED's sub-event types (codebook names) that the built-in rules code.
ARMED_CLASH = "Armed clash"
SHELLING = "Shelling/artillery/missile attack"
AIR_STRIKE = "Air/drone strike"
REMOTE_EXPLOSIVE = "Remote explosive/landmine/IED"
ATTACK = "Attack"
ABDUCTION = "Abduction/forced disappearance"
ARRESTS = "Arrests"
DISRUPTED_WEAPONS = "Disrupted weapons use"
PEACEFUL_PROTEST = "Peaceful protest"
# The built-in rules' sub-event names before they followed ACLED's codebook (rules migration 0003).
LEGACY_SUB_EVENTS = {
    "armed clash": ARMED_CLASH,
    "shelling/airstrike/explosion": SHELLING,
    "air/drone strike": AIR_STRIKE,
    "attack on civilians": ATTACK,
    "raid/arrest": ARRESTS,
    "protest": PEACEFUL_PROTEST,
}

_EVENTS = (
    EventRule(
        BATTLES,
        ARMED_CLASH,
        (
            "اشتباك*",
            "اشتبك*",
            "معارك",
            "معركه",
            "مواجهات",
            "هجوم",
            "هجوما",
            "هجمات",
            "هاجم*",
            "تصدت",
            "تصدي",
            "كمين",
            "تسلل",
            "محاولة تقدم",
            "سيطر*",
            "استعاد*",
            "اسقط*",
            "اسقاط",
            "clash*",
            "fighting",
            "fought",
            "battle*",
            "attack",
            "attacked",
            "attacks",
            "ambush*",
            "shot down",
            "shoots down",
            "offensive",
            "gunfight",
            "firefight",
            "captured",
            "recaptured",
            "repelled",
            "advance*",
        ),
        priority=2,
    ),
    # Equal priorities: the event type is the same whichever wins; the first word in the text decides
    # the sub-event type.
    EventRule(
        EXPLOSIONS,
        SHELLING,
        (
            "قصف*",
            "صاروخ*",
            "قذائف",
            "قذيفه",
            "استهداف",
            "استهدف*",
            # Present-tense verbs and plural weapons of headlines: «يستهدف البلدة بالصواريخ».
            "يستهدف*",
            "تستهدف*",
            "يقصف*",
            "تقصف*",
            "صواريخ",
            "قنابل",
            "shell*",
            "bomb*",
            "missile*",
            "rocket*",
            "mortar*",
            "struck",
            "strike*",
            "targeted",
        ),
        priority=3,
    ),
    EventRule(
        EXPLOSIONS,
        AIR_STRIKE,
        # Air-raid words proper are in the priority-6 rule below; these are weapons and drones.
        ("طائره مسيره", "مسيره", "الطيران الحربي", "عنقودي*", "فراغي*", "فوسفوري*", "drone*"),
        priority=3,
    ),
    EventRule(
        EXPLOSIONS,
        REMOTE_EXPLOSIVE,
        (
            "انفجار",
            "انفجر*",
            "تفجير*",
            "عبوه ناسفه",
            "لغم",
            "مفخخه",
            "explosion*",
            "exploded",
            "IED",
            "landmine",
            "car bomb",
            "blast",
        ),
        priority=3,
    ),
    # An air raid is remote violence whoever it kills, and "raid" alone is a ground raid (a
    # strategic development): the air-raid words outrank both (ACLED codes air strikes that kill
    # civilians as explosions/remote violence, not violence against civilians).
    EventRule(
        EXPLOSIONS,
        AIR_STRIKE,
        (
            "غاره",
            "غارات",
            "غارتين",
            "اغار*",
            "تغير على",
            "براميل متفجره",
            "air raid*",
            "airstrike*",
            "air strike*",
            "aerial raid*",
            "aerial bombard*",
            "barrel bomb*",
            "aviation raid*",
            "aircraft raid*",
            "warplane raid*",
            "warplanes raid*",
            "russian raid*",
            "raids by russian",
            "raids of russian",
            "raid by russian",
            "raid of the russian",
            "raids of the russian",
            "raids by the russian",
        ),
        priority=6,
    ),
    EventRule(
        VIOLENCE_AGAINST_CIVILIANS,
        ATTACK,
        (
            "اغتيال",
            "اغتال*",
            "اعدام",
            "اعدم*",
            "مجزره",
            "قتل مدني*",
            "تعذيب",
            "assassinat*",
            "executed",
            "execution",
            "massacre",
            "tortur*",
            "murdered",
            "civilians were killed",
            "shot dead",
        ),
        priority=4,
    ),
    EventRule(
        VIOLENCE_AGAINST_CIVILIANS,
        ABDUCTION,
        ("خطف", "اختطاف", "اختطف*", "kidnap*", "abduct*"),
        priority=4,
    ),
    # ACLED codes security raids that detain people as Arrests, seizures as Disrupted weapons use.
    EventRule(
        STRATEGIC,
        ARRESTS,
        (
            "مداهم*",
            "داهم*",
            "حمله امنيه",
            "عمليه امنيه",
            "انزال",
            "انزالا",
            "اعتقال*",
            "اعتقل*",
            "القبض",
            "احتجاز",
            "احتجز*",
            "تفكيك",
            "فكك*",
            "raid*",
            "arrest*",
            "detain*",
            "detention",
            "security operation",
            "dismantl*",
            "captured a",
            "airdrop",
            "landing operation",
        ),
        priority=5,
    ),
    EventRule(
        STRATEGIC,
        DISRUPTED_WEAPONS,
        ("ضبط", "مصادره", "seized", "seizure"),
        priority=5,
    ),
    EventRule(
        PROTESTS,
        PEACEFUL_PROTEST,
        (
            "مظاهره",
            "مظاهرات",
            "تظاهر*",
            "احتجاج*",
            "وقفه احتجاجيه",
            "اعتصام",
            "protest*",
            "demonstrat*",
            "rally",
            "rallies",
            "sit-in",
        ),
        priority=1,
    ),
)

_ACTORS = (
    Actor(
        "SDF",
        "قسد",
        (
            "قوات سوريا الديمقراطيه",
            "قوات سوريه الديمقراطيه",
            "قسد",
            "Syrian Democratic Forces",
            "SDF",
            "الاسايش",
            "Asayish",
            "YPG",
            "وحدات حمايه الشعب",
        ),
    ),
    Actor(
        "International Coalition",
        "التحالف الدولي",
        (
            "التحالف الدولي",
            "قوات التحالف",
            "التحالف",
            "the Coalition",
            "US-led coalition",
            "international coalition",
            "coalition forces",
            "القوات الامريكيه",
            "القوات الاميركيه",
            "US forces",
            "American forces",
        ),
    ),
    Actor(
        "ISIS",
        "داعش",
        (
            "داعش",
            "تنظيم الدوله",
            "تنظيم الدوله الاسلاميه",
            "الدوله الاسلاميه",
            "التنظيم",
            "ISIS",
            "ISIL",
            "IS",
            "Islamic State",
            "Daesh",
            "Daash",
        ),
    ),
    Actor(
        "Regime forces",
        "قوات النظام",
        (
            "قوات النظام",
            "قوات الحكومه",
            "الجيش السوري",
            "جيش النظام",
            "قوات الاسد",
            "الفرقه الرابعه",
            "regime forces",
            "regime",
            "النظام",
            "government forces",
            "Syrian army",
            "Syrian Arab Army",
            "pro-government forces",
        ),
    ),
    Actor(
        "SNA",
        "الجيش الوطني",
        (
            "الجيش الوطني",
            "الجيش الوطني السوري",
            "فصائل المعارضه",
            "Syrian National Army",
            "SNA",
            "Turkish-backed factions",
            "Turkish-backed",
        ),
    ),
    Actor(
        "Turkey",
        "تركيا",
        (
            "تركيا",
            "الجيش التركي",
            "القوات التركيه",
            "التركي",
            "تركي",
            "تركيه",
            "التركيه",
            "Turkey",
            "Turkish army",
            "Turkish forces",
            "Turkish",
        ),
    ),
    Actor(
        "Russia",
        "روسيا",
        (
            "روسيا",
            "الروسي",
            "روسي",
            "روسيه",
            "الروسيه",
            "القوات الروسيه",
            "الطيران الروسي",
            "Russia",
            "Russian",
        ),
    ),
    Actor(
        "HTS",
        "هيئة تحرير الشام",
        (
            "هيئه تحرير الشام",
            "تحرير الشام",
            "HTS",
            "Hayat Tahrir al-Sham",
            "Tahrir al-Sham",
            "جبهه النصره",
            "Nusra Front",
            "al-Nusra",
        ),
    ),
    Actor(
        "Iran-backed militias",
        "الميليشيات الإيرانية",
        (
            "الميليشيات الايرانيه",
            "الميليشيات الموالية لايران",
            "الحرس الثوري",
            "Iranian-backed",
            "Iran-backed",
            "IRGC",
            "Hezbollah",
            "حزب الله",
        ),
    ),
    Actor("Civilians", "مدنيون", ("مدنيين", "مدنيون", "civilians")),
)

_DEFAULT = Rules(
    events=_EVENTS,
    actors=_ACTORS,
    event_labels=(
        (BATTLES, "Battles", "معارك"),
        (EXPLOSIONS, "Explosions/Remote violence", "انفجارات/عنف عن بعد"),
        (VIOLENCE_AGAINST_CIVILIANS, "Violence against civilians", "عنف ضد المدنيين"),
        (STRATEGIC, "Strategic developments", "تطورات استراتيجية"),
        (PROTESTS, "Protests", "احتجاجات"),
    ),
    sub_event_labels=(
        (ARMED_CLASH, "اشتباك مسلح"),
        (SHELLING, "قصف مدفعي/صاروخي"),
        (AIR_STRIKE, "غارة جوية/بطائرة مسيّرة"),
        (REMOTE_EXPLOSIVE, "عبوة ناسفة/لغم أرضي/تفجير عن بعد"),
        (ATTACK, "هجوم"),
        (ABDUCTION, "اختطاف/إخفاء قسري"),
        (ARRESTS, "اعتقالات"),
        (DISRUPTED_WEAPONS, "إحباط استخدام أسلحة"),
        (PEACEFUL_PROTEST, "احتجاج سلمي"),
    ),
    organisations=(
        "وكاله قاسيون",
        "قاسيون",
        "هيئه تحرير الشام",
        "SY24",
        "منصه SY24",
        "دير الزور 24",
        "Deir ez-Zor 24",
        "DeirEzzor24",
        "الرقه تذبح بصمت",
        "Raqqa is Being Slaughtered Silently",
        "الشبكه السوريه لحقوق الانسان",
        "المرصد السوري",
        "المرصد السوري لحقوق الانسان",
        "Syrian Observatory for Human Rights",
        "Syrian Network for Human Rights",
        "عنب بلدي",
        "Enab Baladi",
        "تلفزيون سوريا",
        "Syria TV",
        "قوات سوريا الديمقراطيه",
        "Syrian Democratic Forces",
        "جيش سوريا الحره",
        "Free Syrian Army",
        "الجيش السوري الحر",
        "جيش الاسلام",
        "Jaish al-Islam",
        "Syrian Arab Army",
        "Syrian army",
        "Syrian National Army",
        "الجيش السوري",
        "الجيش الوطني السوري",
        "North Press",
        "نورث برس",
        "Hawar news",
        "ANHA",
        "Rudaw",
        "Damascus government",
        # Groups, agencies and people whose names contain a place or a village's name.
        "Hay'at Tahrir al-Sham",
        "Tahrir al-Sham",
        "Ahrar al-Sham",
        "Jabhat Fatah al-Sham",
        "Jaysh al-Sham",
        "Bilad al-Sham",
        # In English "Sham" alone is the Levant or the Shaam News Network, not Damascus.
        "Sham",
        "Shaam",
        "Cham",  # French spelling, as in "Cham Observatory"
        # The month, not the camps and villages of that name.
        "Ramadan",
        "رمضان",
        "Shaam News Network",
        "Sham News Network",
        "احرار الشام",
        "جبهه فتح الشام",
        "بلاد الشام",
        "Bashar al-Assad",
        "Bashar al-Asad",
        "Bashar",
        "Assad",
        "Asad",
        "بشار الاسد",
        "بشار",
        "Rami Abdel Rahman",
        "Rami Abdulrahman",
        "Rami Abdul Rahman",
        "SANA",
        "سانا",
        "Shahba Press",
        "شهبا برس",
        "Halab News",
        "حلب نيوز",
        "Idlib Press",
        "ادلب برس",
        "Step News",
        "Qasioun",
        "Qassioun",
        "SARC",
    ),
    ambiguous_names=(
        "الصناعه",
        "النشوه",
        "الرقه",
        "الحريه",
        "الثوره",
        "الباديه",
        "الخير",
        "النصر",
        "السلام",
        "التقدم",
        "الوحده",
        "المدينه",
        "الشهداء",
        "الامل",
        "العسكري",
        "الصناعي",
        "المساكن",
        "الفيلات",
        "الزهور",
        "الجنوبي",
        "الشمالي",
        "الشرقي",
        "الغربي",
        "الوسطي",
        "تشرين",
        "البعث",
        "النهضه",
        "القصور",
        "الفرات",
        "الخابور",
        "المطار",
        "السبيل",
        "الجلاء",
        "الرشيد",
        "الامين",
        "الغزل",
        "الرصافه",
        "الشام",
        "اليوم",
        "امس",
        "الاحد",
        "الجمعه",
        "السبت",
        "الخميس",
        "العرب",
        "الجيش",
        "الحكومه",
    ),
    background_cues=(
        "منذ بدايه العام",
        "منذ مطلع العام",
        "منذ مطلع العام الجاري",
        "منذ سنوات",
        "منذ اشهر",
        "منذ فتره",
        "خلال الاشهر الماضيه",
        "في الاونه الاخيره",
        "بشكل متكرر",
        "متكرره",
        "عموما",
        "بشكل عام",
        "تصاعد",
        "تزايد",
        "ازدياد",
        "ينشط",
        "نشاط",
        "تنشط",
        "معقل",
        "معاقل",
        "تشهد",
        "يشهد",
        "since the start of the year",
        "since the beginning of the year",
        "in recent months",
        "in recent weeks",
        "has risen",
        "have risen",
        "has increased",
        "increasingly",
        "frequent",
        "regularly",
        "in general",
        "generally",
        "for years",
        "stronghold",
        "activity",
        "has been active",
        "remains active",
    ),
    pattern_cues=(
        "تتركز",
        "يتركز",
        "concentrated in",
        "are concentrated",
        "is concentrated",
        "have been concentrated",
        "has been concentrated",
    ),
    reporting_cues=(
        "مراسل",
        "مراسلنا",
        "مراسله",
        "مراسلها",
        "من مقرها في",
        "ومقرها",
        "مقرها",
        "قال في",
        "said in",
        "correspondent in",
        "reporting from",
        "based in",
        "headquartered in",
        "told reporters in",
    ),
    near_cues=(
        "قرب",
        "بالقرب من",
        "محيط",
        "اطراف",
        "ضواحي",
        "اطراف مدينه",
        "مشارف",
        "شرق",
        "غرب",
        "شمال",
        "جنوب",
        "شرقي",
        "غربي",
        "شمالي",
        "جنوبي",
        "near",
        "outside",
        "around",
        "close to",
        "east of",
        "west of",
        "north of",
        "south of",
        "on the outskirts of",
        "outskirts of",
        "the vicinity of",
    ),
)


@dataclass(frozen=True, slots=True)
class Phrase:
    """One normalised rule phrase and what it stands for."""

    tag: str  # "event", "actor", "org", "background", "pattern", "reporting", "near"
    payload: str  # event type, actor name, or the phrase itself
    sub: str  # sub-event type for events
    priority: int
    stem: bool
    case_sensitive: bool = False  # acronyms such as "IS" must be written in capitals


def rule_phrases(rules: Rules) -> dict[str, list[Phrase]]:
    """Return every rule phrase by its normalised text."""
    return _rule_phrases(rules)


@lru_cache(maxsize=16)
def _rule_phrases(rules: Rules) -> dict[str, list[Phrase]]:
    out: dict[str, list[Phrase]] = {}

    def add(text: str, tag: str, payload: str, sub: str = "", priority: int = 0) -> None:
        stem = text.endswith("*")
        bare = text.rstrip("*")
        key = normalize(bare)
        cased = bare.isascii() and bare.isupper() and len(bare) <= 5
        if key:
            out.setdefault(key, []).append(Phrase(tag, payload, sub, priority, stem, cased))

    for rule in rules.events:
        for kw in rule.keywords:
            add(kw, "event", rule.event_type, rule.sub_event_type, rule.priority)
    for actor in rules.actors:
        for alias in (actor.name, actor.name_ar, *actor.aliases):
            add(alias, "actor", actor.name)
    for org in rules.organisations:
        add(org, "org", org)
    for tag, cues in (
        ("background", rules.background_cues),
        ("pattern", rules.pattern_cues),
        ("reporting", rules.reporting_cues),
        ("near", rules.near_cues),
    ):
        for cue in cues:
            add(cue, tag, cue)
    return out


@dataclass(frozen=True, slots=True)
class EventCall:
    """The event type, sub-type and actors decided for one incident."""

    event_type: str
    sub_event_type: str
    actors: tuple[str, ...]


def classify(event_hits: list[Phrase], actor_names: list[str]) -> EventCall:
    """Pick the event type from keyword hits and list the distinct actors in order."""
    best: Phrase | None = None
    for hit in event_hits:
        if best is None or hit.priority > best.priority:
            best = hit
    actors = tuple(dict.fromkeys(name for name in actor_names if name != "Civilians"))
    if best is None:
        return EventCall(UNKNOWN_EVENT, "", actors)
    return EventCall(best.payload, best.sub, actors)


_AR_NUMBERS = {
    "شخص": 1,
    "شخصا": 1,
    "اثنان": 2,
    "اثنين": 2,
    "شخصين": 2,
    "ثلاثه": 3,
    "اربعه": 4,
    "خمسه": 5,
    "سته": 6,
    "سبعه": 7,
    "ثمانيه": 8,
    "تسعه": 9,
    "عشره": 10,
    "عنصرين": 2,
    "مدنيين": 0,
}
_EN_NUMBERS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "dozen": 12,
    "a": 1,
    "an": 1,
}
_KILLED_AR = r"(?:مقتل|استشهاد|مصرع|وفاه|قتل|قتلي|ضحايا|حصيله)"
_FAT_AR = re.compile(
    rf"{_KILLED_AR}\s+(?:نحو\s+|قرابه\s+|اكثر من\s+)?(?P<n>\d{{1,4}}|{'|'.join(_AR_NUMBERS)})"
    rf"|(?P<n2>\d{{1,4}})\s+(?:قتلي|قتيلا|شهيدا|شهداء|اشخاص\s+قتلوا)"
)
_FAT_EN = re.compile(
    rf"(?P<n>\d{{1,4}}|{'|'.join(_EN_NUMBERS)})\s+(?:\w+\s+){{0,3}}?"
    r"(?:were\s+|was\s+|have been\s+|had been\s+)?"
    r"(?:killed|dead|died|deaths|fatalities|casualties)"
    rf"|(?:killed|killing|death of|deaths of)\s+(?:at least\s+)?(?P<n2>\d{{1,4}}|{'|'.join(_EN_NUMBERS)})\b"
)


def fatalities(norm_sentence: str) -> int | None:
    """Return the number of people killed a normalised sentence states, if any."""
    total: int | None = None
    for pattern, words in ((_FAT_AR, _AR_NUMBERS), (_FAT_EN, _EN_NUMBERS)):
        for match in pattern.finditer(norm_sentence):
            raw = match.group("n") or match.group("n2") or ""
            value = int(raw) if raw.isdigit() else words.get(raw, 0)
            if value > 0:
                total = max(total or 0, value)
    return total
