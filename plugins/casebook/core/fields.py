"""The one definition of entry types and front-matter fields.

Validation, templates, the JSON Schema, the editor guide and the editor tools
all read these tables; nothing else lists the fields.
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

    def applies_to(self, type_key: str) -> bool:
        return type_key in self.types


FIELDS: tuple[Field, ...] = (
    Field("title", "标题", "标题", TEXT, "条目标题，简明写出单位和做法或案由。", required=True,
          example="市妇联以家风建设带动清廉机关建设"),
    Field("type", "类型", "类型", CHOICE, "条目类型；不写时由所在文件夹决定。",
          choices=tuple(TYPE_BY_KEY), choice_aliases={t.label: t.key for t in ENTRY_TYPES},
          example="practice"),
    Field("unit", "单位", "单位", VOCAB, "所属单位，须为 cases/units.yml 中的名称或别名。",
          required=True, vocabulary="units", example="市妇联"),
    Field("date", "日期", "日期", DATE, "形成或发布日期，写作 YYYY-MM-DD、YYYY-MM 或 YYYY。",
          required=True, example="2023-06-15"),
    Field("themes", "主题", "主题", VOCAB_LIST, "一个或多个主题，须为 cases/themes.yml 中的名称或别名。",
          required=True, vocabulary="themes", example="[家风建设, 廉洁文化]"),
    Field("tags", "标签", "标签", TEXT_LIST, "自由标签，可写多个。", example="[清廉家庭, 家书]", max_length=50),
    Field("summary", "摘要", "摘要", TEXT, "一两句话的摘要；不写时取正文开头。", max_length=500),
    Field("source", "来源", "来源", TEXT, "材料来源：文件名称、通知或网址。", max_length=500),
    Field("status", "状态", "状态", CHOICE, "published（发布，默认）或 draft（草稿，不生成页面）。",
          choices=tuple(STATUSES), choice_aliases={v: k for k, v in STATUSES.items()} | {"发布": "published"},
          example="published"),
    Field("audience", "范围", "公开范围", CHOICE,
          "public（公开，默认）或 internal（内部，公开版站点不包含）。",
          choices=tuple(AUDIENCES), choice_aliases={v: k for k, v in AUDIENCES.items()},
          example="public"),
    Field("related", "相关", "相关条目", SLUG_LIST, "相关条目的文件名（不含 .md）。"),
    Field("violations", "违纪类型", "违纪类型", VOCAB_LIST,
          "违纪类型，须为 cases/violations.yml 中的名称或别名。", required=True, types=("case",),
          vocabulary="violations", example="[违反廉洁纪律]"),
    Field("outcomes", "处理结果", "处理结果", VOCAB_LIST,
          "处理结果，须为 cases/outcomes.yml 中的名称或别名。", required=True, types=("case",),
          vocabulary="outcomes", example="[警告]"),
    Field("person", "当事人", "当事人", TEXT, "脱敏后的身份，如“某局原副局长张某”。", types=("case",)),
    Field("lessons", "警示启示", "警示启示", TEXT, "一两句话的警示启示。", types=("case",), max_length=1000),
    Field("rank", "职级", "职级", VOCAB, "当事人职级，须为 cases/ranks.yml 中的名称或别名（省部级、厅局级、县处级、乡科级、其他）。",
          types=("case",), vocabulary="ranks", example="乡科级"),
    Field("issued_by", "通报机关", "通报机关", TEXT, "发布通报的机关，如“市纪委监委”。", types=("case",),
          example="市纪委监委"),
    Field("issued_on", "通报日期", "通报日期", DATE,
          "通报发布的日期，写法同 date（date 仍是事实或处理决定的日期）。", types=("case",), example="2023-07-05"),
    Field("report_kind", "报告类型", "报告类型", CHOICE, "工作汇报、调研报告、汇报发言、述职报告或其他。",
          types=("report",), choices=REPORT_KINDS, example="工作汇报"),
)
FIELD_BY_KEY = {f.key: f for f in FIELDS}
# Both the canonical key and the Chinese alias lead to the field.
FIELD_BY_NAME = {**FIELD_BY_KEY, **{f.alias: f for f in FIELDS}}
VOCABULARIES = ("units", "themes", "violations", "outcomes", "ranks")
VOCABULARY_LABELS = {"units": "单位", "themes": "主题", "violations": "违纪类型", "outcomes": "处理结果", "ranks": "职级"}
# A library written before the vocabulary existed stays valid: without the
# file the vocabulary is empty, and only an entry that uses it is refused.
OPTIONAL_VOCABULARIES = ("ranks",)


# Facets in the order the search page shows them: (key, URL parameter, label).
SEARCH_FACETS = (
    ("type", "type", "类型"),
    ("unit", "unit", "单位"),
    ("themes", "theme", "主题"),
    ("year", "year", "年份"),
    ("violations", "violation", "违纪类型"),
    ("outcomes", "outcome", "处理结果"),
    ("rank", "rank", "职级"),
)
