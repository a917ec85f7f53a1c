"""The `transform` interface of canopy:polyglot (../wit/polyglot.wit), for componentize-py 0.25.

It calls the imported `score` interface (the JavaScript component, once composed).
"""

from typing import List

import wit_world
from wit_world.exports import transform as t
from wit_world.imports import score

PUNCTUATION = ".,;:!?\"'()"


def words_of(text: str) -> List[str]:
    words = (piece.lower().strip(PUNCTUATION) for piece in text.split())
    return [w for w in words if w]


class Transform(wit_world.exports.Transform):
    def transform(self, text: str) -> t.Summary:
        words = words_of(text)
        scores = score.score_words(words)
        best = None
        for s in scores:
            if best is None or s.value > best.value:
                best = s
        # sorted() is stable: equal values keep their order in the text.
        ranked = [s.word for s in sorted(scores, key=lambda s: -s.value)]
        return t.Summary(
            words=len(words),
            total=sum(s.value for s in scores),
            best=None if best is None else t.BestWord(word=best.word, value=best.value),
            ranked=ranked,
        )
