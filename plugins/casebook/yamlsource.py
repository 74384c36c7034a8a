"""YAML loading that remembers line numbers, so problems can name them.

Mappings become ``LineDict`` (``.line`` and ``.key_lines``), lists become
``LineList`` (``.line`` and ``.item_lines``). Everything else is SafeLoader.
"""

from __future__ import annotations

import yaml

from .problems import Problem


class LineDict(dict):
    line: int = 1
    key_lines: dict


class LineList(list):
    line: int = 1
    item_lines: list


class LineLoader(yaml.SafeLoader):
    """SafeLoader that keeps the 1-based line of every key and list item."""

    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            mapping.key_lines.setdefault(key, key_node.start_mark.line + 1)
        return mapping

    def construct_sequence(self, node, deep=False):
        seq = LineList(super().construct_sequence(node, deep=True))
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


LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _lenient_timestamp)
LineLoader.add_constructor("tag:yaml.org,2002:map", LineLoader.construct_mapping)
LineLoader.add_constructor("tag:yaml.org,2002:seq", LineLoader.construct_sequence)


def duplicate_keys(text: str) -> list[tuple[str, int]]:
    """Keys written twice in one mapping (YAML silently keeps the last)."""
    found: list[tuple[str, int]] = []
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return found
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            seen = set()
            for key_node, value_node in node.value:
                key = key_node.value
                if key in seen:
                    found.append((key, key_node.start_mark.line + 1))
                seen.add(key)
                stack.append(value_node)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return found


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
    """A YAML syntax error as a Chinese problem at the right line."""
    text = str(exc)
    # An unclosed bracket or quote is noticed lines later; its opening line
    # (the context) is where the editor has to look.
    opened = any(w in text for w in ("flow sequence", "flow mapping", "quoted scalar"))
    marks = ("context_mark", "problem_mark") if opened else ("problem_mark", "context_mark")
    mark = next((m for m in (getattr(exc, name, None) for name in marks) if m is not None), None)
    line = (mark.line + 1 + line_offset) if mark else line_offset + 1
    hint = next((h for needle, h in _YAML_HINTS if needle in text), "检查这一行的格式：键和值之间用英文冒号加空格")
    return Problem(path, line, "yaml", "YAML 格式错误，无法读取", hint)
