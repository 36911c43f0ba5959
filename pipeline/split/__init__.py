"""Stacks: one scanned file holding several documents, split into documents of their own.

``find_separators`` runs before OCR (separator pages are then not read at all);
``plan_parts`` decides, from separators and (``split.by_content``) from the pages read, where
each document begins. The stack stays the original as it arrived; each part becomes a record
``<sha256>-<n>`` with ``parent`` pointing at the stack (see ``records.Parent``).
"""

from __future__ import annotations

from pathlib import Path

from ..config import Settings
from ..records import Page
from .boundaries import PartPlan, SplitPlan, header_identity, is_blank, page_of, plan_stack
from .separators import PageLook, Survey, find_separators, looks_blank, separator_reason, survey_pages


def plan_parts(pages: list[Page], separators: dict[int, str], settings: Settings) -> SplitPlan:
    """The documents in the stack, each with its pages and the reason it starts where it does."""
    identity = None
    if settings.split.by_content:
        from ..classify import classify_text
        from ..extract import extract_fields
        from ..extract.validate import vat_id
        from ..language import detect_language

        def extract(header: Page) -> dict:
            found = extract_fields("invoice", [header], language=detect_language(header.text),
                                   vocabulary=settings.extract_vocabulary).fields
            values = {name: f.value for name, f in found.items() if f.value and f.valid is not False}
            if isinstance(values.get("number"), str) and vat_id(values["number"]).valid:
                # A party's tax id taken for the number ("Identificativo del trasmittente" on
                # an e-invoice print-out): it names who sent it, the same on every print-out.
                del values["number"]
            return values

        def classify(text: str) -> dict[str, float]:
            result = classify_text(text, settings)
            probabilities = {k[2:]: v for k, v in result.scores.items() if k.startswith("p_")}
            return probabilities or {result.doc_class: result.confidence}

        identity = header_identity(extract, classify)
    return plan_stack(pages, separators, settings.split, identity)


def survey(path: Path, media_type: str, settings: Settings) -> Survey:
    """Separator sheets and blank pages, from small renderings, before OCR."""
    return survey_pages(path, media_type, settings.split, max_pages=settings.workers.max_pages,
                        max_pixels=settings.ocr.max_image_pixels)


__all__ = ["PageLook", "PartPlan", "SplitPlan", "plan_parts", "survey", "Survey", "survey_pages", "looks_blank", "find_separators", "separator_reason",
           "plan_stack", "is_blank", "page_of"]
