"""Pages travel through the broker as JSON (pipeline/queue/payload.py): a photo's further
readings, and the date's tie-breaking reading, arrive as they left, for extraction to vote with."""

from __future__ import annotations

import json

from pipeline.queue.payload import pages_from_json, pages_to_json
from pipeline.records import Page, Word


def _page(text: str) -> Page:
    return Page(number=1, width=600, height=900, words=[Word(text, 10, 20, 90, 40, 88.5, 0)], method="ocr")


def test_a_photos_readings_arrive_as_they_left():
    first, strip, other, look = _page("05.10.16"), _page("08.10.16"), _page("06.10.16"), _page("08.10.16")
    first.alternate, strip.alternate, first.date_look = strip, other, look
    [back] = pages_from_json(json.loads(json.dumps(pages_to_json([first]))))
    assert back == first
    assert back.alternate.alternate.words[0].text == "06.10.16" and back.alternate.alternate.alternate is None
    assert back.date_look.words[0].text == "08.10.16" and back.date_look.alternate is None
    assert pages_from_json(pages_to_json([_page("x")]))[0].date_look is None


def test_the_day_a_photo_was_taken_travels_and_a_field_of_another_version_is_left_out():
    # Workers of two versions side by side (an upgrade under way) still assemble a long scan.
    first = _page("15.04.2020")
    first.taken = "2020-04-16"
    [item] = json.loads(json.dumps(pages_to_json([first])))
    item["made_by"] = "a later version"
    [back] = pages_from_json([item])
    assert back == first and back.taken == "2020-04-16"
