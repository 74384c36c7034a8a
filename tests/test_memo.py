"""The preview's memo: answers as the function does, computes each input
once per pair of builds, and forgets what the last build did not ask for."""

from __future__ import annotations

import random

from casebook.core.memo import Memo


def test_memo_answers_as_the_function_and_forgets_unused_inputs():
    calls = []

    def square(x):
        calls.append(x)
        return x * x

    memo = Memo(square)
    rng = random.Random(3)
    for _ in range(20):
        memo.next_build()
        asked = [rng.randrange(30) for _ in range(15)]
        assert [memo.read(x) for x in asked] == [x * x for x in asked]
    # a value is computed again only after a build that did not ask for it
    memo.next_build()
    memo.read(1)
    memo.next_build()
    memo.next_build()
    before = len(calls)
    memo.read(1)
    assert len(calls) == before + 1 and memo.made == 1
    memo.read(1)
    assert len(calls) == before + 1
