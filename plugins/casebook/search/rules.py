"""The search rules as data for the browser: written once in Python
(``text.py``, ``index.py``, the weights below), shipped as a generated ES
module the browser's reader is built from.

The browser must see text exactly as the index writer did, so it gets
Python's own tables rather than its own Unicode (``String.normalize``,
``\\p{L}``, ``toLowerCase`` follow the browser's Unicode version):

- ``fold``: every character ``normalise`` changes, as flat pairs
  (gap from the previous source code point, target minus source);
- ``letters``: the code points runs are made of, as flat pairs (gap from
  the end of the previous range, length of the range minus one);
- ``format``: the index format both readers accept;
- ``maxGram`` and ``weights``: the gram length and the ranking weights;
- ``types``: the label of each entry type (result cards).
"""

from __future__ import annotations

import json

from casebook.core.fields import ENTRY_TYPES
from casebook.search.index import FORMAT
from casebook.search.text import MAX_GRAM, fold_table, letter_ranges

WEIGHTS = (4, 2, 1)  # a word in the title, in the metadata, only in the body


def rules_data() -> dict:
    fold: list[int] = []
    previous = 0
    for source, target in sorted(fold_table().items()):
        fold += [source - previous, target - source]
        previous = source
    letters: list[int] = []
    end = -1
    for first, last in letter_ranges():
        letters += [first - end, last - first]
        end = last
    return {"format": FORMAT, "maxGram": MAX_GRAM, "weights": list(WEIGHTS), "fold": fold, "letters": letters,
            "types": {t.key: t.label for t in ENTRY_TYPES}}


def rules_module() -> str:
    """The ES module the browser imports (``rules.<hash>.js``)."""
    data = json.dumps(rules_data(), separators=(",", ":"))
    return ("// Generated from plugins/casebook/search/rules.py at build time: do not edit.\n"
            f"export default {data};\n")
