#!/usr/bin/env python3
"""Train the learned document classifier and measure it against the rules, honestly.

    .venv/bin/pip install -e '.[train]'          # scikit-learn, for training only
    .venv/bin/python scripts/train_classifier.py ../shared/corpus --out config/classify_model.json

Reads every file of CORPUS/labels.jsonl through the real reading stage (text layer or OCR with
the configured [ocr] settings; --cache reuses a developer cache of that reading), then:

1. cross-validates by group (GroupKFold over the ``group`` field, or the seller's VAT id or name
   where a row has none, so a vendor's documents and a document's scans never sit on both
   sides) and
   prints the accuracy of the rules, the model and their blends;
2. fits the model on every file and writes its weights as JSON (--out), which the product
   reads with pure Python (pipeline/classify_model.py).

The product never reads the corpus: only the JSON written here ships.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tqdm import tqdm  # noqa: E402

from pipeline.classify import RuleClassifier, blend  # noqa: E402
from pipeline.classify_model import LinearModel, features  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.evaluate.cache import ReadCache  # noqa: E402
from pipeline.evaluate.labels import load_labels  # noqa: E402
from pipeline.process import read_pages  # noqa: E402
from pipeline.records import DOC_CLASSES  # noqa: E402

WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def read_texts(corpus: Path, items, settings, cache_dir: Path | None) -> list[str]:
    cache = ReadCache(cache_dir) if cache_dir else None
    texts = []
    for item in tqdm(items, desc="reading", unit="file"):
        path = corpus / item.file
        hit = None
        if cache:
            key = cache.key(path, settings)
            hit = cache.get(key)
        if hit is None:
            hit = read_pages(path, settings)
            if cache:
                cache.put(key, *hit)
        texts.append("\f".join(p.text for p in hit[1]))
    return texts


def group_of(item) -> str:
    """The vendor / company a document belongs to: the label's group, else its seller's VAT id
    or name, else the document itself (its scans share its name)."""
    if item.group:
        return item.group
    seller = item.fields.get("vendor_vat") or item.fields.get("vendor_name") or item.fields.get("merchant_name")
    return f"seller:{seller}" if seller else item.file.split(".")[0]


def shared_terms(texts: list[str], groups: list[str], *, min_groups: int, max_features: int) -> list[str]:
    """Features seen in the documents of at least ``min_groups`` groups, most widespread first:
    words of a kind of document, not one vendor's name or address, which would not generalise
    (and should not ship)."""
    seen: dict[str, set[str]] = {}
    for text, group in zip(texts, groups):
        for term in set(features(text)):
            seen.setdefault(term, set()).add(group)
    shared = [t for t, g in seen.items() if len(g) >= min_groups]
    shared.sort(key=lambda t: (-len(seen[t]), t))
    return shared[:max_features]


def fit(texts: list[str], labels: list[str], groups: list[str], *, max_features: int, c: float,
        min_groups: int) -> LinearModel:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    vocabulary = shared_terms(texts, groups, min_groups=min_groups, max_features=max_features)
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, vocabulary=vocabulary)
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit(matrix, labels)
    return LinearModel(
        classes=tuple(model.classes_),
        vocabulary={term: int(i) for term, i in vectorizer.vocabulary_.items()},
        idf=tuple(float(v) for v in vectorizer.idf_),
        coef=tuple(tuple(float(v) for v in row) for row in model.coef_),
        intercept=tuple(float(v) for v in model.intercept_),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, help="where to write the model (JSON); nothing is written without it")
    parser.add_argument("--cache", type=Path, help="developer cache of the reading (see archivio eval --cache)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--max-features", type=int, default=3000)
    parser.add_argument("--c", type=float, default=10.0, help="inverse regularisation of the logistic regression")
    parser.add_argument("--min-groups", type=int, default=3,
                        help="keep only features found in documents of this many groups (vendors, companies)")
    args = parser.parse_args()

    from sklearn.model_selection import GroupKFold

    settings = load_settings()
    items = load_labels(args.corpus)
    texts = read_texts(args.corpus, items, settings, args.cache)
    labels = [i.doc_class for i in items]
    groups = [group_of(i) for i in items]
    rules = RuleClassifier.from_file(settings.classify_vocabulary)
    rule_probs = [rules.probabilities(t)[1] for t in texts]

    correct = {w: 0 for w in WEIGHTS}
    confusion = {w: Counter() for w in WEIGHTS}
    for train, test in GroupKFold(n_splits=args.folds).split(texts, labels, groups):
        model = fit([texts[i] for i in train], [labels[i] for i in train], [groups[i] for i in train],
                    max_features=args.max_features, c=args.c, min_groups=args.min_groups)
        for i in test:
            model_probs = model.probabilities(texts[i])
            for w in WEIGHTS:
                predicted = blend(rule_probs[i], model_probs, w).doc_class
                correct[w] += predicted == labels[i]
                confusion[w][(labels[i], predicted)] += 1

    print(f"\n{len(items)} files, {len(set(groups))} groups, {args.folds}-fold cross-validation by group")
    print(f"{'model weight':>14}{'accuracy':>10}  errors (true→predicted)")
    for w in WEIGHTS:
        errors = ", ".join(f"{t}→{p} {n}" for (t, p), n in sorted(confusion[w].items()) if t != p)
        name = {0.0: "0 (rules)", 1.0: "1 (model)"}.get(w, f"{w:g}")
        print(f"{name:>14}{correct[w] / len(items):>10.3f}  {errors or '-'}")

    if args.out:
        model = fit(texts, labels, groups, max_features=args.max_features, c=args.c, min_groups=args.min_groups)
        args.out.write_text(model.to_json() + "\n", encoding="utf-8")
        counts = Counter(labels)
        print(f"\nmodel written to {args.out}: {len(model.vocabulary)} features, trained on "
              + ", ".join(f"{counts[c]} {c}" for c in DOC_CLASSES))
    return 0


if __name__ == "__main__":
    sys.exit(main())
