# This file is part of eCRM.  The COPYRIGHT file at the top level of
# this repository contains the full copyright notices and license terms.
"""Standard questions that answer tickets by themselves.

Text is cut into tokens without a segmentation library, after folding
full-width characters (NFKC) and case: a run of Chinese characters gives
its character bigrams (a lone character stands for itself), other text
gives its words, without English stop words, and its digit runs.

Articles are weighed by TF-IDF, their keywords counting twice as much as
their question, and compared to a text by cosine similarity: scores lie
between 0 and 1, rounded to 6 places.

>>> tokenize('How do I reset my PASSWORD? (2FA)')
['how', 'reset', 'password', '2', 'fa']
>>> index = build_index([
...     Article(id=1, question='How to reset my password',
...         keywords='password, login', language='en'),
...     Article(id=2, question='Where is my parcel', keywords='delivery',
...         language='en')])
>>> [i for i, _ in match(index, 'Reset password!')]
[1]
>>> auto_answer([(1, 0.9), (2, 0.3)], threshold=0.6, margin=0.1)
1
"""
import heapq
import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

KEYWORD_WEIGHT = 2
STOP_WORDS = frozenset('''
    a am an and are as at be been but by can could did do does for from
    had has have i if in is it its me my of on or our please s should so
    t that the there these this those to was we were will with would you
    your
    '''.split())
_HAN = '\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff'
_TOKEN = re.compile(rf'([{_HAN}]+)|(\d+)|([^\W\d_{_HAN}]+)')
# Scores closer than this are equal (they are rounded to 6 places).
_EPSILON = 1e-9


@dataclass(frozen=True, kw_only=True)
class Article:
    id: int
    question: str
    keywords: str  # separated by spaces or punctuation
    language: str | None


class Index:

    def __init__(self, idf, postings, languages):
        self.idf = idf
        self.postings = postings
        self.languages = languages
        # a token unknown to the articles is as rare as can be
        self.unknown_idf = math.log(1 + len(languages)) + 1

    def __len__(self):
        return len(self.languages)


def tokenize(text):
    tokens = []
    text = unicodedata.normalize('NFKC', text or '').casefold()
    for han, number, word in _TOKEN.findall(text):
        if len(han) == 1:
            tokens.append(han)
        elif han:
            tokens.extend(han[i:i + 2] for i in range(len(han) - 1))
        elif number:
            tokens.append(number)
        elif word not in STOP_WORDS:
            tokens.append(word)
    return tokens


def build_index(articles):
    counts, languages, df = {}, {}, Counter()
    for article in articles:
        tf = Counter(tokenize(article.question))
        for token in tokenize(article.keywords):
            tf[token] += KEYWORD_WEIGHT
        counts[article.id] = tf
        languages[article.id] = article.language
    for tf in counts.values():
        df.update(tf.keys())
    n = len(counts)
    idf = {t: math.log((1 + n) / (1 + d)) + 1 for t, d in df.items()}
    postings = {}
    for id_, tf in counts.items():
        vector = {t: c * idf[t] for t, c in tf.items()}
        norm = _norm(vector)
        for token, weight in vector.items():
            postings.setdefault(token, []).append((id_, weight / norm))
    return Index(idf, {t: tuple(p) for t, p in postings.items()}, languages)


def _norm(vector):
    return math.sqrt(sum(w * w for w in vector.values()))


def match(index, text, top=5, language=None):
    """[(article id, score)] of the top articles, best first.

    With a language, the articles of another language are left out (those
    without a language never are).
    """
    tf = Counter(tokenize(text))
    if not tf or top <= 0:
        return []
    vector = {t: c * index.idf.get(t, index.unknown_idf)
        for t, c in tf.items()}
    norm = _norm(vector)
    scores = Counter()
    for token, weight in vector.items():
        for id_, article_weight in index.postings.get(token, ()):
            scores[id_] += weight * article_weight
    found = []
    for id_, score in scores.items():
        score = round(min(score / norm, 1.0), 6)
        if score > 0 and (language is None
                or index.languages[id_] in {None, language}):
            found.append((id_, score))
    return heapq.nsmallest(top, found, key=lambda f: (-f[1], f[0]))


def auto_answer(found, threshold, margin):
    """The best article id if sure enough of it, else None.

    found is [(article id, score)] best first.
    """
    if not found:
        return None
    best_id, best = found[0]
    if best < threshold:
        return None
    if len(found) > 1 and best - found[1][1] < margin - _EPSILON:
        return None
    return best_id
