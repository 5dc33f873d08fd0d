"""Word valence from the VADER lexicon, as features that carry across sources (docs/methodology.md).

VADER (Hutto & Gilbert, ICWSM 2014; the ``vaderSentiment`` package, MIT licence) rates about 7,500
English words and emoticons from -4 (most negative) to +4 by the mean of ten human raters. Unlike
words learned from one labelled set, these ratings were made for general text, so they carry over to
comments from teams no model has seen. A comment gets the sum of its negative and of its positive
ratings (scaled by ``1 / sqrt(1 + words)``, like the hashed words), its most negative rating and a
count of strongly negative words. Words that name software states and events ("failed", "kill",
"fatal", "blocking") are left out: in code review they are no judgement. A rating is flipped and
damped (x -0.74, VADER's own rule) when one of the three words before it negates ("not", "never",
"don't").

The lexicon is read from the installed package (no network); each distinct word of a column is looked
up once.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

from analyzer.text import lexicons as lx
from analyzer.text.ngrams import Occurrences

FloatArray = npt.NDArray[np.float64]
NEGATION_SCALE = -0.74  # VADER's N_SCALAR
NEGATION_REACH = 3  # words before a rated word that can negate it
STRONG_NEGATIVE = -2.0  # a rating at or below this counts as a strongly negative word
NEGATORS = (
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "cannot", "without", "hardly",
    "don't", "dont", "doesn't", "doesnt", "didn't", "didnt", "isn't", "isnt", "aren't", "arent", "wasn't",
    "wasnt", "weren't", "werent", "won't", "wont", "can't", "cant", "couldn't", "couldnt", "wouldn't",
    "wouldnt", "shouldn't", "shouldnt", "haven't", "havent", "hasn't", "hasnt", "hadn't", "hadnt", "ain't",
)  # fmt: skip
VALENCE_FEATURES = ("valence_neg", "valence_pos", "valence_min", "strong_negative")


@cache
def vader_lexicon() -> dict[str, float]:
    """word -> mean rating, from the lexicon file the vaderSentiment package ships."""
    text = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text(encoding="utf-8")
    ratings = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0]:
            ratings[parts[0].lower()] = float(parts[1])
    for word in lx.SE_NEUTRAL_WORDS:  # software states and events, not judgements (docs/methodology.md, "Comment text")
        ratings.pop(word, None)
    return ratings


def valence_features(occ: Occurrences) -> dict[str, FloatArray]:
    """The four valence features per row, from the words of a normalised prose column."""
    n_rows, words, rows, codes = occ.n_rows, occ.words, occ.rows, occ.codes
    lexicon = vader_lexicon()
    rating = np.array([lexicon.get(w, 0.0) for w in words], dtype=np.float64)[codes]
    negator = pc.is_in(pa.array(words, type=pa.string()), value_set=pa.array(NEGATORS)).to_numpy(
        zero_copy_only=False
    )
    negates = np.asarray(negator, dtype=bool)[codes] if len(words) else np.zeros(0, dtype=bool)
    negated = np.zeros(len(rows), dtype=bool)
    for back in range(1, NEGATION_REACH + 1):
        if len(rows) > back:
            negated[back:] |= negates[:-back] & (rows[back:] == rows[:-back])
    rating = np.where(negated, rating * NEGATION_SCALE, rating)
    scale = occ.row_scale()
    lowest = np.zeros(n_rows)
    if len(rows):  # rows ascend (words come in row order): the minimum of each row's run
        starts = np.flatnonzero(np.r_[True, rows[1:] != rows[:-1]])
        lowest[rows[starts]] = np.minimum(np.minimum.reduceat(rating, starts), 0.0)
    strong = np.bincount(rows, weights=(rating <= STRONG_NEGATIVE).astype(np.float64), minlength=n_rows)
    return {
        "valence_neg": -np.bincount(rows, weights=np.minimum(rating, 0.0), minlength=n_rows) * scale,
        "valence_pos": np.bincount(rows, weights=np.maximum(rating, 0.0), minlength=n_rows) * scale,
        "valence_min": -lowest,
        "strong_negative": np.minimum(strong, 3.0),
    }
