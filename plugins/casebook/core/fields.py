"""The one definition of entry types and front-matter fields.

Everything about a field is said here once and derived everywhere: the entry
reader and its checks (kind, per-type rules, vocabulary, limits), the JSON
Schema and the editor guide, ``casebook new`` (flag, question), the search
records (which text holds its words, its facet: URL parameter and label) and
the entry page's panel (row order, links). Adding a field is one ``Field``
here plus its test; nothing else lists the fields. Code reads the table as
``fields.FIELDS`` (module attribute) when it runs, so a test can swap it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class EntryType:
    key: str  # value of `type`
    label: str  # Chinese name
    folder: str  # folder under cases/ and first URL segment

    @property
    def aliases(self) -> tuple[str, ...]:
        return (self.label,)


ENTRY_TYPES: tuple[EntryType, ...] = (
    EntryType("practice", "经验做法", "practices"),
    EntryType("case", "警示案例", "warnings"),
    EntryType("report", "工作报告", "reports"),
)
TYPE_BY_KEY = {t.key: t for t in ENTRY_TYPES}
TYPE_BY_FOLDER = {t.folder: t for t in ENTRY_TYPES}
TYPE_BY_NAME = {**{t.key: t for t in ENTRY_TYPES}, **{t.label: t for t in ENTRY_TYPES}}

REPORT_KINDS = ("工作汇报", "调研报告", "汇报发言", "述职报告", "其他")
STATUSES = {"published": "已发布", "draft": "草稿"}
AUDIENCES = {"public": "公开", "internal": "内部"}

# Kinds of value a field holds; validation and the schema switch on these.
TEXT, DATE, CHOICE, VOCAB, VOCAB_LIST, TEXT_LIST, SLUG_LIST = (
    "text", "date", "choice", "vocab", "vocab-list", "text-list", "slug-list",
)


LIST_KINDS = (VOCAB_LIST, TEXT_LIST, SLUG_LIST)


@dataclass(frozen=True)
class Facet:
    """A search facet of a field: the URL parameter of /search/ (also the
    filter key of a compilation and of search links) and its label."""
    param: str
    label: str
    order: int  # position on the search page
    key: str = ""  # key in the search records and the index; "" = the field's key


@dataclass(frozen=True)
class Panel:
    """A row of the entry page's panel."""
    order: int
    search: bool = True  # a search link beside each value, when the field is a facet
    group: bool = False  # a term's group in brackets: 警告（党纪处分）
    note: str = ""  # after a choice that differs from the default: 内部（公开版站点不包含）


# Which text of a search record holds a field's words (ranking: title, then
# metadata, then body); "" keeps them out of the text.
TITLE, META, BODY = "title", "meta", "body"


@dataclass(frozen=True)
class Field:
    key: str
    alias: str  # the Chinese key editors may write instead
    label: str  # Chinese label on pages and in messages
    kind: str
    help: str  # one-line Chinese description (guide, schema, editor hover)
    required: bool = False
    types: tuple[str, ...] = ("practice", "case", "report")  # types it applies to
    vocabulary: str | None = None  # file stem in cases/, for VOCAB kinds
    choices: tuple[str, ...] = ()  # canonical values, for CHOICE
    choice_aliases: dict = field(default_factory=dict)  # alias -> canonical
    example: str = ""
    # Bounds on untrusted input (a 2 MB title would sit on every listing):
    # characters of a text or of one list item, and items in a list.
    max_length: int = 200
    max_items: int = 30
    default: str = ""  # a choice's value when not written
    browse: str = ""  # folder of the pages listing the entries of each value: units/, years/, tags/ …
    facet: Facet | None = None
    panel: Panel | None = None  # None: not on the entry page's panel
    search: str = ""  # TITLE, META, BODY or "": which search text holds its words
    search_group: bool = False  # a term's group is a search word too
    flag: bool = True  # `casebook new --<key>`
    ask: int = 0  # `casebook new` asks for it when missing, in this order; 0: never asked

    def applies_to(self, type_key: str) -> bool:
        return type_key in self.types

    @property
    def is_list(self) -> bool:
        return self.kind in LIST_KINDS

    @property
    def names(self) -> tuple[str, str]:
        return (self.key, self.alias)

    @property
    def option(self) -> str:
        return "--" + self.key.replace("_", "-")

    @property
    def facet_key(self) -> str:
        return (self.facet.key or self.key) if self.facet else ""

    def empty(self):
        """The value of the field on an entry that does not write it."""
        if self.is_list:
            return []
        if self.kind == VOCAB:
            return None
        return self.default


FIELDS: tuple[Field, ...] = (
    Field("title", "标题", "标题", TEXT, "条目标题，简明写出单位和做法或案由。", required=True,
          example="市妇联以家风建设带动清廉机关建设", search=TITLE, ask=1),
    Field("type", "类型", "类型", CHOICE, "条目类型；不写时由所在文件夹决定。",
          choices=tuple(TYPE_BY_KEY), choice_aliases={t.label: t.key for t in ENTRY_TYPES},
          example="practice", facet=Facet("type", "类型", 1), panel=Panel(1, search=False), search=META,
          flag=False),  # `casebook new TYPE`
    Field("unit", "单位", "单位", VOCAB, "所属单位，须为 cases/units.yml 中的名称或别名。",
          required=True, vocabulary="units", example="市妇联", browse="units", facet=Facet("unit", "单位", 2),
          panel=Panel(2), search=META, search_group=True, ask=2),
    Field("date", "日期", "日期", DATE, "形成或发布日期，写作 YYYY-MM-DD、YYYY-MM 或 YYYY。",
          required=True, example="2023-06-15", browse="years", facet=Facet("year", "年份", 4, key="year"),
          panel=Panel(3), search=META, ask=3),
    Field("themes", "主题", "主题", VOCAB_LIST, "一个或多个主题，须为 cases/themes.yml 中的名称或别名。",
          required=True, vocabulary="themes", example="[家风建设, 廉洁文化]", browse="themes",
          facet=Facet("theme", "主题", 3), panel=Panel(4), search=META, ask=4),
    Field("tags", "标签", "标签", TEXT_LIST, "自由标签，可写多个。", example="[清廉家庭, 家书]", max_length=50,
          browse="tags", panel=Panel(12), search=META, ask=10),
    Field("summary", "摘要", "摘要", TEXT, "一两句话的摘要；不写时取正文开头。", max_length=500, search=BODY),
    Field("source", "来源", "来源", TEXT, "材料来源：文件名称、通知或网址。", max_length=500,
          panel=Panel(13), search=META),
    Field("status", "状态", "状态", CHOICE, "published（发布，默认）或 draft（草稿，不生成页面）。",
          choices=tuple(STATUSES), choice_aliases={v: k for k, v in STATUSES.items()} | {"发布": "published"},
          example="published", default="published", flag=False),  # `casebook new --draft`
    Field("audience", "范围", "公开范围", CHOICE,
          "public（公开，默认）或 internal（内部，公开版站点不包含）。",
          choices=tuple(AUDIENCES), choice_aliases={v: k for k, v in AUDIENCES.items()},
          example="public", default="public", panel=Panel(14, note="（公开版站点不包含）"),
          flag=False),  # `casebook new --internal`
    Field("related", "相关", "相关条目", SLUG_LIST, "相关条目的文件名（不含 .md）。"),
    Field("violations", "违纪类型", "违纪类型", VOCAB_LIST,
          "违纪类型，须为 cases/violations.yml 中的名称或别名。", required=True, types=("case",),
          vocabulary="violations", example="[违反廉洁纪律]", browse="violations",
          facet=Facet("violation", "违纪类型", 5), panel=Panel(6), search=META, ask=5),
    Field("outcomes", "处理结果", "处理结果", VOCAB_LIST,
          "处理结果，须为 cases/outcomes.yml 中的名称或别名。", required=True, types=("case",),
          vocabulary="outcomes", example="[警告]", browse="outcomes", facet=Facet("outcome", "处理结果", 6),
          panel=Panel(7, group=True), search=META, search_group=True, ask=6),
    Field("person", "当事人", "当事人", TEXT, "脱敏后的身份，如“某局原副局长张某”。", types=("case",),
          panel=Panel(8), search=META, ask=8),
    Field("lessons", "警示启示", "警示启示", TEXT, "一两句话的警示启示。", types=("case",), max_length=1000,
          search=BODY, ask=9),
    Field("rank", "职级", "职级", VOCAB, "当事人职级，须为 cases/ranks.yml 中的名称或别名（省部级、厅局级、县处级、乡科级、其他）。",
          types=("case",), vocabulary="ranks", example="乡科级", browse="ranks", facet=Facet("rank", "职级", 7),
          panel=Panel(9)),
    Field("issued_by", "通报机关", "通报机关", TEXT, "发布通报的机关，如“市纪委监委”。", types=("case",),
          example="市纪委监委", panel=Panel(10)),
    Field("issued_on", "通报日期", "通报日期", DATE,
          "通报发布的日期，写法同 date（date 仍是事实或处理决定的日期）。", types=("case",), example="2023-07-05",
          panel=Panel(11)),
    Field("report_kind", "报告类型", "报告类型", CHOICE, "工作汇报、调研报告、汇报发言、述职报告或其他。",
          types=("report",), choices=REPORT_KINDS, example="工作汇报", panel=Panel(5), search=META, ask=7),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
# Both the canonical key and the Chinese alias lead to the field.
FIELD_BY_NAME = {**FIELD_BY_KEY, **{f.alias: f for f in FIELDS}}
# The vocabularies (files cases/<name>.yml) are those the fields name.
VOCABULARY_LABELS = {f.vocabulary: f.label for f in FIELDS if f.vocabulary}
VOCABULARIES = tuple(VOCABULARY_LABELS)
# A library written before the vocabulary existed stays valid: without the
# file the vocabulary is empty, and only an entry that uses it is refused.
OPTIONAL_VOCABULARIES = ("ranks",)


UNDATED = "日期待填写"  # the year facet of an undated draft (the local preview only)


def facet_fields(fields: tuple[Field, ...]) -> list[Field]:
    """The fields that are search facets, in the search page's order."""
    return sorted((f for f in fields if f.facet), key=lambda f: f.facet.order)


def search_facets(fields: tuple[Field, ...]) -> tuple[tuple[str, str, str], ...]:
    """(record key, URL parameter, label) of the facets, in the search page's order."""
    return tuple((f.facet_key, f.facet.param, f.facet.label) for f in facet_fields(fields))


SEARCH_FACETS = search_facets(FIELDS)


def facet_param(key: str) -> str:
    """The search page's URL parameter of a field's facet: facet_param("themes") == "theme"."""
    return FIELD_BY_KEY[key].facet.param


def facet_value(spec: Field, value) -> str:
    """One value of a field as its facet knows it: a type's key, a term's
    name, a date's year."""
    if isinstance(value, EntryType):
        return value.key
    if spec.kind == DATE:
        return value[:4] or UNDATED  # one value per entry: the year column has one cell each
    return getattr(value, "name", value)


def facet_values(entry, spec: Field) -> list[str]:
    value = getattr(entry, spec.key)
    items = value if spec.is_list else [value]
    # a value not written is in no facet; only an undated draft has a year (UNDATED)
    return [facet_value(spec, v) for v in items if v is not None and (v != "" or spec.kind == DATE)]


def choice_label(spec: Field, value: str) -> str:
    """A choice in Chinese, as editors may write it: 内部 for internal."""
    return next((alias for alias, canonical in spec.choice_aliases.items() if canonical == value), value)
