#!/usr/bin/python3
"""Record scikit-learn's TF-IDF + IsolationForest on a small synthetic masked log.

Writes src/core/model/iforest/fixtures/sklearn-recorded.json, the reference the TypeScript
implementation (src/core/model/tfidf, src/core/model/iforest) is tested against.

The fixture is generated here, deterministically, from a tiny LCG (no external data, no
dependence on Python's `random` implementation). Run with Debian's interpreter:

    apt-get install -y python3-sklearn
    /usr/bin/python3 scripts/record-sklearn-fixture.py
"""

import json
import os
import sys

import numpy as np
import scipy
import sklearn
from sklearn.ensemble import IsolationForest
from sklearn.ensemble._iforest import _average_path_length
from sklearn.feature_extraction.text import TfidfVectorizer

OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "src", "core", "model", "iforest", "fixtures", "sklearn-recorded.json",
)

SEED = 42
CONTAMINATION = 0.05
OTHER_SEEDS = [0, 1, 2, 3, 4]
SMALL_FOREST_TREES = 4


class Lcg:
    """Numerical Recipes 32-bit LCG: reproducible anywhere, good enough to pick templates."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next(self):
        self.state = (1664525 * self.state + 1013904223) & 0xFFFFFFFF
        return self.state

    def below(self, n):
        return (self.next() >> 8) % n

    def pick(self, items):
        return items[self.below(len(items))]


# Already-masked templates: "<*>" is a masked variable; {a|b} picks a literal word.
NORMAL = [
    # Zipf-like weights, as in real logs: the ranking among normal lines is then meaningful too.
    (45, "INFO dfs.DataNode$DataXceiver: Receiving block blk_<*> src: /<*>:<*> dest: /<*>:<*>"),
    (22, "INFO dfs.DataNode$PacketResponder: PacketResponder <*> for block blk_<*> {terminating|terminating|terminating|terminating|terminating|terminating|exiting}"),
    (12, "INFO dfs.FSNamesystem: BLOCK* NameSystem.addStoredBlock: blockMap updated: <*>:<*> is added to blk_<*> size <*>"),
    (10, "INFO http {GET|GET|GET|GET|POST} /api/{users|users|users|users|orders|orders|items|cart} status {200|200|200|200|200|304} in <*> ms"),
    (8, "DEBUG cache {hit|hit|hit|miss} for key {session|session|profile} after <*> lookups"),
    (3, "INFO scheduler: job <*> {started|started|finished} on worker <*>"),
]

# Rare lines with (count, template): plainly odd, exactly the 5% contamination (15 of 300).
# Measured with sklearn itself: with this mix, forests grown from different seeds flag the same
# lines (mean overlap ~0.95 against seed 42); with a crowded boundary (single odd lines, or
# novel lines made of common words) sklearn disagrees with itself, so those go to HOLDOUT.
RARE = [
    (2, "ERROR dfs.DataNode: Exception in receiveBlock for block blk_<*> java.io.IOException: Connection reset by peer"),
    (2, "WARN dfs.DataNode: Got exception while serving blk_<*> to /<*>"),
    (2, "FATAL kernel: Out of memory: Killed process <*> (java) total-vm:<*>kB"),
    (2, "ERROR http GET /api/orders status 500 in <*> ms upstream timeout"),
    (2, "WARN cache eviction storm: <*> keys dropped in <*> ms"),
    (2, "ERROR scheduler: job <*> exceeded deadline by <*> s, killing worker <*>"),
    (3, "CRITICAL raid: array md0 degraded, disk sdb failed"),
]

N_NORMAL = 285

# Lines for transform-time checks: unseen words are dropped, an all-unknown line is a zero row.
HOLDOUT = [
    "FATAL kernel: segfault at <*> ip <*> sp <*> error 4",
    "INFO http GET /api/users status 200 in <*> ms via proxy",
    "",
    "completely unseen words here",
    "INFO http GET /api/users status 200 in <*> ms",
    "<*> <*> <*> <*> blk_<*> blk_<*>",
    "ERROR ERROR ERROR novel-token",
    # Novel lines made of common words: TF-IDF sees them as nearly normal (issue 4).
    "INFO dfs.DataNode$DataXceiver: writeBlock blk_<*> received exception java.io.EOFException",
    "WARN dfs.FSNamesystem: BLOCK* NameSystem.delete: blk_<*> is not in blockMap, ignoring",
    "ERROR tls: handshake with <*> failed: certificate expired",
    "PANIC runtime: goroutine <*> deadlock detected",
]

# Leaf sizes for which the average path length c(n) is recorded.
PATH_LENGTH_N = [0, 1, 2, 3, 4, 5, 7, 10, 16, 100, 255, 256, 257, 1000, 12345, 1000000]

PERCENTILE_CASES = [
    ([3.0, 1.0, 2.0], 50.0),
    ([3.0, 1.0, 2.0, 10.0], 25.0),
    ([-0.61, -0.42, -0.39, -0.39, -0.55, -0.48, -0.7], 100.0 * 0.05),
    ([-0.61, -0.42, -0.39, -0.39, -0.55, -0.48, -0.7], 100.0 * 0.1),
    ([1.0], 5.0),
    ([0.1, 0.2], 100.0 * 0.5),
    ([5.0, 4.0, 3.0, 2.0, 1.0, 0.0], 100.0 * 0.3),
    ([5.0, 4.0, 3.0, 2.0, 1.0, 0.0], 100.0 * 0.49),
]


def expand(template, rng):
    words = []
    for word in template.split(" "):
        out = ""
        i = 0
        while i < len(word):
            if word[i] == "{":
                j = word.index("}", i)
                out += rng.pick(word[i + 1 : j].split("|"))
                i = j + 1
            else:
                out += word[i]
                i += 1
        words.append(out)
    return words


def build_lines():
    rng = Lcg(20261125)
    total = sum(w for w, _ in NORMAL)
    lines = []
    for _ in range(N_NORMAL):
        r = rng.below(total)
        for weight, template in NORMAL:
            if r < weight:
                lines.append(expand(template, rng))
                break
            r -= weight
    for count, template in RARE:
        for _ in range(count):
            lines.append(expand(template, rng))
    # Deterministic Fisher-Yates shuffle so rare lines are spread through the file.
    for i in range(len(lines) - 1, 0, -1):
        j = rng.below(i + 1)
        lines[i], lines[j] = lines[j], lines[i]
    return lines


def identity(tokens):
    return tokens


def sparse(m):
    m = m.tocsr().sorted_indices()
    return {
        "shape": [int(m.shape[0]), int(m.shape[1])],
        "indptr": [int(v) for v in m.indptr],
        "indices": [int(v) for v in m.indices],
        "data": [float(v) for v in m.data],
    }


def floats(a):
    return [float(v) for v in np.asarray(a, dtype=np.float64).ravel()]


def export_tree(estimator):
    t = estimator.tree_
    return {
        "feature": [int(v) for v in t.feature],
        "threshold": [float(v) for v in t.threshold],
        "left": [int(v) for v in t.children_left],
        "right": [int(v) for v in t.children_right],
        "nodeSamples": [int(v) for v in t.n_node_samples],
    }


def main():
    train = build_lines()
    holdout = [line.split(" ") if line else [] for line in HOLDOUT]

    vectorizer = TfidfVectorizer(tokenizer=identity, lowercase=False, token_pattern=None)
    x_train = vectorizer.fit_transform(train)
    x_holdout = vectorizer.transform(holdout)

    forest = IsolationForest(random_state=SEED, contamination=CONTAMINATION).fit(x_train)

    others = []
    for seed in OTHER_SEEDS:
        f = IsolationForest(random_state=seed, contamination=CONTAMINATION).fit(x_train)
        others.append({"seed": seed, "offset": float(f.offset_), "scoreSamples": floats(f.score_samples(x_train))})

    small = IsolationForest(n_estimators=SMALL_FOREST_TREES, random_state=SEED, contamination=CONTAMINATION).fit(x_train)
    assert all(len(fs) == x_train.shape[1] for fs in small.estimators_features_)

    fixture = {
        "about": "Recorded by scripts/record-sklearn-fixture.py; do not edit by hand.",
        "versions": {"python": sys.version.split()[0], "sklearn": sklearn.__version__, "numpy": np.__version__, "scipy": scipy.__version__},
        "train": train,
        "holdout": holdout,
        "tfidf": {
            "vocabulary": [str(v) for v in vectorizer.get_feature_names_out()],
            "idf": floats(vectorizer.idf_),
            "train": sparse(x_train),
            "holdout": sparse(x_holdout),
        },
        "iforest": {
            "randomState": SEED,
            "contamination": CONTAMINATION,
            "nEstimators": len(forest.estimators_),
            "maxSamples": int(forest.max_samples_),
            "offset": float(forest.offset_),
            "scoreSamples": floats(forest.score_samples(x_train)),
            "decisionFunction": floats(forest.decision_function(x_train)),
            "predict": [int(v) for v in forest.predict(x_train)],
            "holdoutScoreSamples": floats(forest.score_samples(x_holdout)),
        },
        "otherSeeds": others,
        "smallForest": {
            "nEstimators": SMALL_FOREST_TREES,
            "maxSamples": int(small.max_samples_),
            "contamination": CONTAMINATION,
            "offset": float(small.offset_),
            "trees": [export_tree(e) for e in small.estimators_],
            "scoreSamples": floats(small.score_samples(x_train)),
            "decisionFunction": floats(small.decision_function(x_train)),
            "predict": [int(v) for v in small.predict(x_train)],
            "holdoutScoreSamples": floats(small.score_samples(x_holdout)),
        },
        "averagePathLength": {"n": PATH_LENGTH_N, "value": floats(_average_path_length(PATH_LENGTH_N))},
        "percentile": [
            {"values": values, "q": q, "result": float(np.percentile(np.asarray(values), q))}
            for values, q in PERCENTILE_CASES
        ],
    }

    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(fixture, fh, separators=(",", ":"), ensure_ascii=False)
        fh.write("\n")
    size = os.path.getsize(OUT)
    print(f"wrote {os.path.relpath(OUT)} ({size} bytes, {x_train.shape[0]} lines, {x_train.shape[1]} terms)")
    if size >= 200_000:
        sys.exit("fixture is too large (must stay under 200 KB)")


if __name__ == "__main__":
    main()
