"""A slip's date (and a scanned invoice's) against the day its image was made
(pipeline/text/taken.py, pipeline/extract/receipt_date_taken.py, validate.not_after_made).

Images made here with the EXIF dates phones and scanners write (and the ones unset clocks write);
generated slips of every kind (tests/gen_receipts.py) whose date line was read one figure later
than printed, photographed days to months after the sale.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from PIL import Image

from gen_date_readings import _first_date_read_as
from gen_receipts import KINDS, slip
from pipeline.api.i18n import Words
from pipeline.config import config_dir
from pipeline.extract import receipt
from pipeline.extract.layout import Layout
from pipeline.extract.vocabulary import load_vocabulary
from pipeline.text.taken import image_taken
from test_extract_reading import page

TODAY = dt.date(2025, 1, 15)
VOCAB = load_vocabulary(config_dir() / "fields.toml")
SEEDS = range(8)
REVIEW_BELOW = 0.5  # config/archivio.toml [review] min_key_confidence

_MODEL, _DATE_TIME, _EXIF_IFD, _ORIGINAL, _DIGITIZED = 0x0110, 0x0132, 0x8769, 0x9003, 0x9004


def _image(fmt: str = "JPEG", *, written: str | None = None, original: str | None = None,
           digitized: str | None = None) -> Image.Image:
    """An image saved and opened again, with these EXIF dates as a camera or scanner writes them."""
    exif = Image.Exif()
    exif[_MODEL] = "Phone"  # cameras and scanners name themselves in the main directory
    if written is not None:
        exif[_DATE_TIME] = written
    inner = exif.get_ifd(_EXIF_IFD)
    if original is not None:
        inner[_ORIGINAL] = original
    if digitized is not None:
        inner[_DIGITIZED] = digitized
    buffer = io.BytesIO()
    Image.new("L", (64, 64), 255).save(buffer, fmt, exif=exif)
    buffer.seek(0)
    return Image.open(buffer)


# -- the day an image was made ----------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_the_day_a_photo_was_taken_is_read_from_its_exif(fmt):
    assert image_taken(_image(fmt, original="2024:03:05 18:22:10"), today=TODAY) == "2024-03-05"


def test_the_day_a_tiff_was_scanned_is_read_from_its_tags():
    assert image_taken(_image("TIFF", written="2024:03:09 08:00:00"), today=TODAY) == "2024-03-09"


@pytest.mark.parametrize("tags, day", [
    ({"written": "2024:03:09 08:00:00"}, "2024-03-09"),  # a scanner's DateTime only
    ({"written": "2024:06:01 10:00:00", "original": "2024:03:05 18:22:10"}, "2024-03-05"),  # edited later
    ({"digitized": "2024:03:06 09:00:00"}, "2024-03-06"),
    ({"written": "2020/05/15 10:46:46"}, "2020-05-15"),  # slashes, as some scanners write it
    ({"written": "2020-05-15T10:46:46"}, "2020-05-15"),
])
def test_the_earliest_of_the_dates_written_bounds_the_slip(tags, day):
    assert image_taken(_image(**tags), today=TODAY) == day


@pytest.mark.parametrize("stamp", [
    "0000:00:00 00:00:00",  # what a camera writes with its clock unset
    "    :  :     :  :  ",
    "1970:01:01 00:00:00", "1980:01:01 00:00:00", "2000:01:01 00:00:00",  # clocks' epochs
    "2025:01:17 09:00:00",  # ahead of today: a clock set wrong
    "2024:02:30 10:00:00",  # no such day
    "yesterday",
])
def test_an_unset_or_wrong_clock_is_no_bound(stamp):
    assert image_taken(_image(original=stamp), today=TODAY) is None


def test_an_image_without_exif_has_no_day():
    buffer = io.BytesIO()
    Image.new("L", (64, 64), 255).save(buffer, "PNG")
    buffer.seek(0)
    assert image_taken(Image.open(buffer), today=TODAY) is None


# -- the slip's date against it ----------------------------------------------------------------
def _date(rows, taken: dt.date | None):
    p = page(rows)
    p.taken = taken.isoformat() if taken else None
    return receipt.extract(Layout([p]), VOCAB, language=None, today=TODAY).get("date")


def _read_later(rows, part: str):
    """The rows with the first date's year, month or day read later than printed, one figure read
    one higher (a filled 8 read as 9: "2019" for 2018, "23" for 13), and that later date; None
    when no such date is real."""
    later: list[dt.date] = []

    def misread(day: str, sep: str, month: str, year: str) -> str | None:
        parts = {"day": day, "month": month, "year": year}
        figures = parts[part]
        # A year's last figure; a day's or a month's first, so that the date reads days later.
        for i in (range(len(figures) - 1, -1, -1) if part == "year" else range(len(figures))):
            if figures[i] == "9":
                continue
            changed = {**parts, part: figures[:i] + str(int(figures[i]) + 1) + figures[i + 1:]}
            full = changed["year"] if len(year) == 4 else "20" + changed["year"]
            try:
                later.append(dt.date(int(full), int(changed["month"]), int(changed["day"])))
            except ValueError:
                continue
            return sep.join((changed["day"], changed["month"], changed["year"]))
        return None

    out = _first_date_read_as(rows, misread)
    return (out, later[0]) if out is not None else None


def _photographed(kind: str, part: str):
    """(printed date, rows as read, date read) for generated slips whose date reads later."""
    cases = []
    for seed in SEEDS:
        s = slip(seed, kind)
        read = _read_later(s.rows, part)
        if read is not None:
            cases.append((dt.date.fromisoformat(s.fields["date"]), *read))
    assert len(cases) >= 3, (kind, part)
    return cases


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("days_after", [0, 3, 30])
def test_a_year_read_after_the_photo_is_put_back(kind, days_after):
    for printed, rows, read in _photographed(kind, "year"):
        taken = printed + dt.timedelta(days=days_after)
        assert read > taken
        date = _date(rows, taken)
        assert date.value == printed.isoformat(), (rows, taken)
        assert date.confidence < REVIEW_BELOW  # a person's call all the same
        assert date.valid is True and date.error is None
        assert _date(rows, None).value == read.isoformat()  # without the photo's day, as read


@pytest.mark.parametrize("kind", KINDS)
def test_a_slip_photographed_months_later_is_put_back_or_reviewed_never_changed_to_a_guess(kind):
    # 200 days on, a month one figure from the one read may lie before the photo as well
    # ("07" read, "01" before a January photo): with two dates to choose from, none is chosen.
    outcomes = set()
    for printed, rows, read in _photographed(kind, "year"):
        taken = printed + dt.timedelta(days=200)
        date = _date(rows, taken)
        assert date.confidence < REVIEW_BELOW
        if date.value == printed.isoformat():
            outcomes.add("put back")
        else:
            assert date.value == read.isoformat() and date.valid is False and "after the photo" in date.error
            outcomes.add("reviewed")
    assert "put back" in outcomes


@pytest.mark.parametrize("kind", KINDS)
def test_a_day_read_after_the_photo_goes_to_review_saying_why(kind):
    # Photographed the same day: several earlier dates are one figure away from the one read
    # ("23" for a printed "13": the 3rd and the 13th, and other months), so none is chosen.
    checked = 0
    for printed, rows, read in _photographed(kind, "day"):
        if read > printed + dt.timedelta(days=1):
            date = _date(rows, printed)
            assert date.value == read.isoformat()
            assert date.valid is False and date.confidence < REVIEW_BELOW
            assert date.error == f"date {read.isoformat()} is after the photo or scan ({printed.isoformat()})"
            checked += 1
    assert checked >= 2


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("taken", [lambda d: d, lambda d: d - dt.timedelta(days=1),
                                   lambda d: d + dt.timedelta(days=3), lambda d: d + dt.timedelta(days=3 * 365)])
def test_a_date_on_or_before_the_photo_is_left_as_read(kind, taken):
    # The day before too: the photo's clock and the till's may be a time zone apart. Years after:
    # an old slip photographed when the shoebox was emptied.
    for seed in SEEDS:
        s = slip(seed, kind)
        printed = dt.date.fromisoformat(s.fields["date"])
        assert _date(s.rows, taken(printed)) == _date(s.rows, None)


def test_the_reason_reads_in_italian():
    reasons = []
    for seed in SEEDS:
        s = slip(seed, KINDS[0])
        later = _read_later(s.rows, "day")
        if later is not None:
            date = _date(later[0], dt.date.fromisoformat(s.fields["date"]))
            reasons += [f"date: {date.error}"] if date.error else []
    assert reasons
    for reason in reasons:
        italian = Words("it").message(reason)
        assert not {"is", "after", "the", "photo", "scan"} & set(re.findall(r"[a-z]+", italian)), italian


# -- end to end: a photo with its EXIF, read by Tesseract -------------------------------------
def _with_photo_day(path, day: dt.date) -> None:
    """The JPEG at ``path`` given the EXIF a phone writes, its pixels untouched (an APP1
    segment inserted after the start marker)."""
    exif = Image.Exif()
    exif[_MODEL] = "Phone"
    exif.get_ifd(_EXIF_IFD)[_ORIGINAL] = day.strftime("%Y:%m:%d 12:00:00")
    body = b"Exif\x00\x00" + exif.tobytes()
    data = path.read_bytes()
    path.write_bytes(data[:2] + b"\xff\xe1" + (len(body) + 2).to_bytes(2, "big") + body + data[2:])


def _scanned_on(image_path, pdf_path, day: dt.date | None):
    """The image as a scanner's PDF (no text layer) made on ``day`` (None: today)."""
    import time

    made = {"creationDate": time.strptime(day.isoformat(), "%Y-%m-%d")} if day else {}
    Image.open(image_path).save(pdf_path, "PDF", resolution=200, **made)
    return pdf_path


@pytest.mark.ocr
@pytest.mark.parametrize("seed, kind, container", [(1, "my", "jpeg"), (2, "it", "jpeg"), (5, "de", "jpeg"),
                                                   (3, "my", "pdf"), (2, "it", "pdf")])
def test_a_photographed_slip_whose_year_reads_after_the_photo_is_filed_with_the_right_year(tmp_path, seed, kind,
                                                                                          container):
    """The slip prints its year one figure later (as OCR would misread it), on a photo (or a
    scanner's PDF) made a fortnight after the sale: read from the file, that day puts the year
    back."""
    from gen_slips import render
    from gen_slips import slip as till_slip
    from pipeline.config import load_settings
    from pipeline.process import analyse_pages, read_pages

    s = till_slip(seed, kind, date="dd/mm/yyyy")
    sold = dt.date.fromisoformat(s.fields["date"])
    if sold.year % 10 == 9:
        sold = sold.replace(year=sold.year - 1)
    printed, misread = f"{sold:%d/%m/%Y}", f"{sold:%d/%m}/{sold.year + 1}"
    s.lines = [line.replace(f"{dt.date.fromisoformat(s.fields['date']):%d/%m/%Y}", misread) for line in s.lines]
    assert any(misread in line for line in s.lines), printed
    path = render(s, tmp_path / "slip.jpg", seed)
    settings = load_settings()
    _, plain = read_pages(path, settings)
    assert plain[0].taken is None
    if container == "pdf":
        path = _scanned_on(path, tmp_path / "slip.pdf", sold + dt.timedelta(days=14))
    else:
        _with_photo_day(path, sold + dt.timedelta(days=14))
    media_type, pages = read_pages(path, settings)
    assert pages[0].taken == (sold + dt.timedelta(days=14)).isoformat()
    today = sold + dt.timedelta(days=3 * 365)
    date = analyse_pages(media_type, pages, settings, today=today).fields["date"]
    assert date.value == sold.isoformat() and date.confidence < REVIEW_BELOW
    assert analyse_pages(media_type, plain, settings, today=today).fields["date"].value == \
        sold.replace(year=sold.year + 1).isoformat()


def test_only_a_scanned_pdf_page_carries_the_pdfs_day(tmp_path):
    # A page with a text layer was made by software, maybe before the date it prints.
    from docgen import english_receipt
    from pipeline.config import load_settings
    from pipeline.process import read_pages

    made = dt.date(2024, 3, 5)
    text_pdf = tmp_path / "receipt.pdf"
    english_receipt(text_pdf, 1)
    _, pages = read_pages(text_pdf, load_settings())
    assert pages[0].method == "text" and pages[0].taken is None
    image = tmp_path / "page.png"
    Image.new("L", (400, 300), 255).save(image)
    _, pages = read_pages(_scanned_on(image, tmp_path / "scan.pdf", made), load_settings())
    assert pages[0].method == "ocr" and pages[0].taken == made.isoformat()


@pytest.mark.parametrize("stamp, day", [
    ("D:20240305101010+01'00'", "2024-03-05"), ("D:20240305", "2024-03-05"), ("20240305093000Z", "2024-03-05"),
    ("", None), (None, None), ("D:19700101000000Z", None), ("D:20251231000000Z", None), ("D:20241301", None),
])
def test_a_pdfs_creation_date_is_read_as_written(stamp, day):
    from pipeline.text.taken import pdf_day

    assert pdf_day(stamp, today=TODAY) == day


def test_image_dates_off_leaves_every_page_undated(tmp_path, monkeypatch):
    # A scanner or camera whose clock is wrong: ARCHIVIO_OCR_IMAGE_DATES=false.
    from pipeline.config import load_settings
    from pipeline.process import read_pages

    made = dt.date(2024, 3, 5)
    photo = tmp_path / "photo.jpg"
    Image.new("L", (400, 300), 255).save(photo)
    _with_photo_day(photo, made)
    scan = _scanned_on(photo, tmp_path / "scan.pdf", made)
    assert [read_pages(p, load_settings())[1][0].taken for p in (photo, scan)] == [made.isoformat()] * 2
    monkeypatch.setenv("ARCHIVIO_OCR_IMAGE_DATES", "false")
    assert [read_pages(p, load_settings())[1][0].taken for p in (photo, scan)] == [None, None]


@pytest.mark.parametrize("language", ["it", "en", "de", "fr"])
def test_a_scanned_invoice_dated_after_its_scan_goes_to_review_saying_why(language):
    from gen_invoice_layouts import build, ocr_page
    from pipeline.extract import invoice

    for seed in range(10, 13):
        doc = build("right_header", language, seed)
        issued = dt.date.fromisoformat(doc.expected["date"])
        scanned = ocr_page(doc)
        for made, error in [(issued + dt.timedelta(days=20), None), (issued - dt.timedelta(days=1), None),
                            (issued - dt.timedelta(days=5),
                             f"date {issued.isoformat()} is after the photo or scan "
                             f"({(issued - dt.timedelta(days=5)).isoformat()})")]:
            scanned.taken = made.isoformat()
            date = invoice.extract(Layout([scanned]), VOCAB, language=language, today=TODAY + dt.timedelta(days=730))["date"]
            assert date.value == issued.isoformat()  # never changed: an invoice prints its date once, clearly
            assert (date.valid, date.error) == (error is None, error)
