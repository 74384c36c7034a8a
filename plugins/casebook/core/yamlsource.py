"""YAML loading for untrusted editor input: line numbers kept, limits enforced.

Mappings become ``LineDict`` (``.line``, ``.key_lines`` and ``.repeated``),
lists become ``LineList`` (``.line`` and ``.item_lines``); everything else is
SafeLoader. Front matter and vocabularies never need YAML's programming
features, so anchors, aliases, merge keys and explicit tags are refused while
composing (an alias bomb is refused at its first ``*``, before any expansion),
and nesting is bounded (deep ``[[[…]]]`` would overflow the recursion).
"""

from __future__ import annotations

import re

import yaml

from casebook.core.problems import Problem

MAX_DEPTH = 20  # front matter needs 2 levels, vocabularies 3


class LineDict(dict):
    line: int = 1
    key_lines: dict
    repeated: dict  # key -> [(line, value), ...] for keys written more than once
    raw: dict  # key -> the text of a scalar value as written (2023.10, not 2023.1)


class LineList(list):
    line: int = 1
    item_lines: list


class YamlRefused(yaml.YAMLError):
    """Input valid YAML may be, but not what front matter may contain."""

    def __init__(self, mark, message: str, hint: str):
        super().__init__(message)
        self.problem_mark, self.message, self.hint = mark, message, hint


class LineConstructor(yaml.constructor.SafeConstructor):
    """SafeConstructor that keeps the 1-based line of every key and list item."""

    # -- line numbers ------------------------------------------------------
    def construct_mapping(self, node, deep=False):
        mapping = LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines, mapping.repeated, mapping.raw = {}, {}, {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlRefused(key_node.start_mark, "不能使用 YAML 合并键“<<”", "把字段逐个写出")
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise YamlRefused(key_node.start_mark, "字段名不能是列表或字段区", "字段名写作“名称: 值”") from None
            value = self.construct_object(value_node, deep=True)
            line = key_node.start_mark.line + 1
            if key in mapping:
                # YAML would silently keep the last; every value is kept so
                # the checks can refuse the repetition and take the strictest.
                mapping.repeated.setdefault(key, [(mapping.key_lines[key], mapping[key])]).append((line, value))
            else:
                mapping.key_lines[key] = line
                if isinstance(value_node, yaml.ScalarNode):
                    mapping.raw[key] = value_node.value
            mapping[key] = value
        return mapping

    def construct_sequence(self, node, deep=False):
        seq = LineList(self.construct_object(child, deep=True) for child in node.value)
        seq.line = node.start_mark.line + 1
        seq.item_lines = [item.start_mark.line + 1 for item in node.value]
        return seq


def _lenient_timestamp(loader, node):
    # `2023-13-01` matches YAML's timestamp pattern but is no date: keep the
    # text so validation can say so, instead of a ValueError traceback.
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError:
        return loader.construct_scalar(node)


LineConstructor.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)
LineConstructor.add_constructor("tag:yaml.org,2002:map", LineConstructor.construct_mapping)
LineConstructor.add_constructor("tag:yaml.org,2002:seq", LineConstructor.construct_sequence)


class LineLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser, yaml.composer.Composer,
                 LineConstructor, yaml.resolver.Resolver):
    """The pure-Python loader: it sees every event, so it refuses what front
    matter may not contain before anything is built, with the line."""

    def __init__(self, stream):
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        yaml.composer.Composer.__init__(self)
        LineConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)
        self._depth = 0

    # -- limits, checked on events before anything is built ---------------
    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise YamlRefused(event.start_mark, "不能使用 YAML 引用（以 * 开头的别名）",
                              "直接写出值；如果值本身以 * 开头，请给整个值加引号")
        if getattr(event, "anchor", None):
            raise YamlRefused(event.start_mark, "不能使用 YAML 锚点（以 & 开头）",
                              "删除 & 及其后的名称；如果值本身以 & 开头，请给整个值加引号")
        tag = getattr(event, "tag", None)
        if tag is not None and tag != "!":
            raise YamlRefused(event.start_mark, f"不能使用 YAML 标签“{tag}”",
                              "如果值以 ! 开头，请给整个值加引号")
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise YamlRefused(event.start_mark, f"嵌套层级超过 {MAX_DEPTH} 层",
                                  "字段值只能是一段文字或一个列表，检查方括号是否多写")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


try:
    from yaml.cyaml import CParser
except ImportError:  # PyYAML built without libyaml: every text takes the pure path
    CParser = None


class FastLineLoader(CParser or object, LineConstructor, yaml.resolver.Resolver):
    """libyaml's parser (C) under the same constructor: about nine times
    faster on front matter, but it never shows the events. It is used only for text that
    cannot hold what LineLoader refuses (``_fast_enough``); anything it
    finds wrong is read again by LineLoader, whose messages are the ones
    editors see. tests/test_yaml_fast.py proves both give the same."""

    def __init__(self, stream):
        CParser.__init__(self, stream)
        LineConstructor.__init__(self)
        yaml.resolver.Resolver.__init__(self)


# An anchor, alias or explicit tag needs one of & * !; libyaml reads a "?"
# in a list, a byte-order mark, tabs and control characters or other line
# breaks differently from PyYAML (found by tests/test_yaml_fast.py). Nesting
# needs a bracket, a "-" or a ":" per level, so few of them bound the depth
# far below what could strain the C parser's recursion.
_PURE_ONLY = re.compile("[&*!?\t\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_NESTING_MARKS = ("[", "{", "-", ":")
_FAST_MAX_MARKS = 2000


def _fast_enough(text: str) -> bool:
    return (CParser is not None and not _PURE_ONLY.search(text)
            and sum(text.count(c) for c in _NESTING_MARKS) <= _FAST_MAX_MARKS)


def load_yaml(text: str):
    """Parse untrusted YAML; raises ``yaml.YAMLError`` (``YamlRefused`` for
    what is refused) and nothing else."""
    if _fast_enough(text):
        try:
            return yaml.load(text, Loader=FastLineLoader)  # noqa: S506 - a safe constructor
        except (yaml.YAMLError, RecursionError):
            pass  # read again below: its message, line and hint are the editors'
    try:
        return yaml.load(text, Loader=LineLoader)  # noqa: S506 - a safe constructor
    except RecursionError:  # belt and braces: MAX_DEPTH stops long before this
        raise YamlRefused(None, "嵌套层级过深", "字段值只能是一段文字或一个列表") from None


_YAML_HINTS = (
    ("while parsing a flow sequence", "方括号 [ ] 没有成对，或列表项之间没有用英文逗号分隔"),
    ("while parsing a flow mapping", "花括号 { } 没有成对"),
    ("mapping values are not allowed", "值里含有冒号时请给整个值加引号，或检查缩进"),
    ("could not find expected ':'", "检查这一行是否漏写了英文冒号“:”"),
    ("found character '\\t'", "YAML 不能用 Tab 缩进，请改用空格"),
    ("expected <block end>", "检查缩进是否一致"),
    ("did not find expected key", "检查缩进是否一致，列表项以“- ”开头"),
    ("found unexpected end of stream", "检查引号或括号是否成对"),
    ("while scanning a quoted scalar", "检查引号是否成对"),
    ("found undefined alias", "以 * 开头的值需要加引号"),
)


def yaml_problem(path: str, exc: yaml.YAMLError, line_offset: int) -> Problem:
    """A YAML syntax error (or a refused construct) as a Chinese problem at the right line."""
    if isinstance(exc, YamlRefused):
        mark = exc.problem_mark
        line = (mark.line + 1 + line_offset) if mark else line_offset + 1
        return Problem(path, line, "yaml", exc.message, exc.hint)
    text = str(exc)
    # An unclosed bracket or quote is noticed lines later; its opening line
    # (the context) is where the editor has to look.
    opened = any(w in text for w in ("flow sequence", "flow mapping", "quoted scalar"))
    marks = ("context_mark", "problem_mark") if opened else ("problem_mark", "context_mark")
    mark = next((m for m in (getattr(exc, name, None) for name in marks) if m is not None), None)
    line = (mark.line + 1 + line_offset) if mark else line_offset + 1
    hint = next((h for needle, h in _YAML_HINTS if needle in text), "检查这一行的格式：键和值之间用英文冒号加空格")
    return Problem(path, line, "yaml", "YAML 格式错误，无法读取", hint)
