#!/usr/bin/env python3
"""Train the learned document classifier and measure it against the rules, honestly.

    .venv/bin/pip install -e '.[train]'          # scikit-learn (pinned), for training only
    .venv/bin/python scripts/train_classifier.py ../shared/corpus --split study \
        --out config/classify_model.json

Reads the files of CORPUS/labels.jsonl (with --split, only that half of the groups: the shipped
model is trained on the ``study`` half so that ``archivio eval --split measure`` stays a
measurement on vendors the model never saw) through the real reading stage (text layer or OCR
with the configured [ocr] settings; --cache reuses a developer cache of that reading), then:

1. cross-validates by group (GroupKFold over the ``group`` field, or the seller's VAT id or name
   where a row has none, so a vendor's documents and a document's scans never sit on both
   sides) and prints the accuracy of the rules, the model and their blends, per class, and the
   confusion matrix of the configured blend;
2. fits the model on every selected file and writes its weights as JSON (--out), which the
   product reads with pure Python (pipeline/classify_model.py). --check FILE instead compares
   the fit with a model already written, byte for byte: training is deterministic (no random
   state is drawn; scikit-learn is pinned in the ``train`` extra), so the shipped model must be
   reproducible from this script.

E-invoices (.xml, .p7m) are left out: they are classified by their structure, never by words.
The product never reads the corpus: only the JSON written here ships.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tqdm import tqdm  # noqa: E402

from pipeline.classify import RuleClassifier, blend, combine  # noqa: E402
from pipeline.classify_model import LinearModel, features  # noqa: E402
from pipeline.config import load_settings  # noqa: E402
from pipeline.evaluate import SPLITS, select  # noqa: E402
from pipeline.evaluate.cache import ReadCache  # noqa: E402
from pipeline.evaluate.labels import load_labels  # noqa: E402
from pipeline.process import read_pages  # noqa: E402
from pipeline.records import DOC_CLASSES  # noqa: E402

WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0)


def read_texts(corpus: Path, items, settings, cache_dir: Path | None) -> tuple[list[str], list[list]]:
    """Each file's text and its pages (the rules also weigh a page's layout)."""
    cache = ReadCache(cache_dir) if cache_dir else None
    texts, pages = [], []
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
        pages.append(hit[1])
    return texts, pages


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
    # lbfgs draws nothing at random; the seed only pins solvers that would.
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced", random_state=0)
    model.fit(matrix, labels)
    return LinearModel(
        classes=tuple(model.classes_),
        vocabulary={term: int(i) for term, i in vectorizer.vocabulary_.items()},
        idf=tuple(float(v) for v in vectorizer.idf_),
        coef=tuple(tuple(float(v) for v in row) for row in model.coef_),
        intercept=tuple(float(v) for v in model.intercept_),
    )


def _report(name: str, labels: list[str], predicted: list[str]) -> str:
    per_class = []
    for c in DOC_CLASSES:
        n = sum(1 for t in labels if t == c)
        if n:
            ok = sum(1 for t, p in zip(labels, predicted) if t == c and p == c)
            per_class.append(f"{c} {ok / n:.3f} ({ok}/{n})")
    accuracy = sum(t == p for t, p in zip(labels, predicted)) / len(labels)
    return f"{name:>14}{accuracy:>10.3f}  " + ", ".join(per_class)


def _confusion(labels: list[str], predicted: list[str]) -> str:
    counts = Counter(zip(labels, predicted))
    corner = "true \\ predicted"
    rows = [f"  {corner:<18}" + "".join(f"{c:>10}" for c in DOC_CLASSES)]
    for t in DOC_CLASSES:
        rows.append(f"  {t:<18}" + "".join(f"{counts[(t, p)]:>10}" for p in DOC_CLASSES))
    return "\n".join(rows)


def _is_structured(item) -> bool:
    return item.variant == "xml" or Path(item.file).suffix.lower() in (".xml", ".p7m", ".eml")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--out", type=Path, help="where to write the model (JSON); nothing is written without it")
    parser.add_argument("--check", type=Path, metavar="MODEL",
                        help="fit as --out would and compare with this model file; exit 1 if they differ")
    parser.add_argument("--split", choices=SPLITS,
                        help="only this half of the groups (see archivio eval --split); the shipped model: study")
    parser.add_argument("--cache", type=Path, help="developer cache of the reading (see archivio eval --cache)")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--max-features", type=int, default=3000)
    parser.add_argument("--c", type=float, default=10.0, help="inverse regularisation of the logistic regression")
    parser.add_argument("--min-groups", type=int, default=3,
                        help="keep only features found in documents of this many groups (vendors, companies)")
    args = parser.parse_args(argv)

    from sklearn.model_selection import GroupKFold

    settings = load_settings()
    items = [i for i in select(load_labels(args.corpus), limit=None, match=None, split=args.split)
             if not _is_structured(i)]
    texts, pages = read_texts(args.corpus, items, settings, args.cache)
    labels = [i.doc_class for i in items]
    groups = [group_of(i) for i in items]
    rules = RuleClassifier.from_file(settings.classify_vocabulary)
    rule_scores, rule_probs = zip(*(rules.probabilities(t, p) for t, p in zip(texts, pages))) if texts else ((), ())
    # As in the product (classify_text): without a word of any class, the rules decide alone.
    evidence = [rules.has_evidence(s) for s in rule_scores]

    predicted = {w: [""] * len(items) for w in WEIGHTS}
    for train, test in GroupKFold(n_splits=args.folds).split(texts, labels, groups):
        model = fit([texts[i] for i in train], [labels[i] for i in train], [groups[i] for i in train],
                    max_features=args.max_features, c=args.c, min_groups=args.min_groups)
        for i in test:
            model_probs = model.probabilities(texts[i])
            for w in WEIGHTS:
                if evidence[i]:
                    predicted[w][i] = combine(rules, rule_scores[i], rule_probs[i], model_probs, w).doc_class
                else:
                    predicted[w][i] = blend(rule_probs[i], rule_probs[i], w).doc_class

    print(f"\n{len(items)} files{f' ({args.split} half)' if args.split else ''}, {len(set(groups))} groups, "
          f"{args.folds}-fold cross-validation by group")
    print(f"{'model weight':>14}{'accuracy':>10}  per class (correct/files)")
    for w in WEIGHTS:
        name = {0.0: "0 (rules)", 1.0: "1 (model)"}.get(w, f"{w:g}")
        print(_report(name, labels, predicted[w]))
    configured = min(WEIGHTS, key=lambda w: abs(w - settings.classify.model_weight))
    print(f"\nconfusion matrix at model weight {configured:g} (the configured blend):")
    print(_confusion(labels, predicted[configured]))

    if args.out or args.check:
        model = fit(texts, labels, groups, max_features=args.max_features, c=args.c, min_groups=args.min_groups)
        written = model.to_json() + "\n"
        counts = Counter(labels)
        trained_on = ", ".join(f"{counts[c]} {c}" for c in DOC_CLASSES)
        if args.check:
            same = args.check.read_text(encoding="utf-8") == written
            print(f"\n{args.check}: {'identical to' if same else 'DIFFERS from'} the model this run fits "
                  f"({len(model.vocabulary)} features, {trained_on})")
            if not same:
                return 1
        if args.out:
            args.out.write_text(written, encoding="utf-8")
            print(f"\nmodel written to {args.out}: {len(model.vocabulary)} features, trained on {trained_on}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
