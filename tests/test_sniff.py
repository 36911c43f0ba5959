import pytest

from pipeline.errors import EmptyFileError, UnsupportedFileError
from pipeline.text.sniff import JPEG, PDF, PNG, TIFF, sniff


@pytest.mark.parametrize("head, expected", [
    (b"%PDF-1.7\n", PDF),
    (b"\n\n%PDF-1.4 junk before the header is allowed", PDF),
    (b"II*\x00rest", TIFF),
    (b"MM\x00*rest", TIFF),
    (b"\xff\xd8\xff\xe0JFIF", JPEG),
    (b"\x89PNG\r\n\x1a\nrest", PNG),
])
def test_supported_types_are_recognised_by_content(tmp_path, head, expected):
    path = tmp_path / "named-wrongly.txt"
    path.write_bytes(head + b"\x00" * 64)
    assert sniff(path) == expected


@pytest.mark.parametrize("head, words", [
    (b"PK\x03\x04", "ZIP"),
    (b"MZ\x90\x00", "executable"),
    (b"\x7fELF", "executable"),
    (b"GIF89a", "GIF"),
])
def test_known_unsupported_types_say_what_they_are(tmp_path, head, words):
    path = tmp_path / "scan.pdf"
    path.write_bytes(head + b"\x00" * 64)
    with pytest.raises(UnsupportedFileError, match=words):
        sniff(path)


def test_random_bytes_named_pdf_are_unsupported(tmp_path):
    path = tmp_path / "random.pdf"
    path.write_bytes(bytes(range(1, 256)) * 4)
    with pytest.raises(UnsupportedFileError, match="not a PDF, TIFF, JPEG or PNG"):
        sniff(path)


def test_empty_and_zero_filled_files_are_empty(tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    zeros = tmp_path / "zeros.pdf"
    zeros.write_bytes(b"\x00" * 4096)
    with pytest.raises(EmptyFileError):
        sniff(empty)
    with pytest.raises(EmptyFileError):
        sniff(zeros)


def test_a_zip_holding_a_pdf_is_still_a_zip(tmp_path):
    import io
    import zipfile

    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:  # stored, not deflated: "%PDF-" shows near the start
        zf.writestr("fattura.pdf", b"%PDF-1.7\n%%EOF\n")
    path = tmp_path / "fatture.zip"
    path.write_bytes(buf.getvalue())
    with pytest.raises(UnsupportedFileError, match="ZIP"):
        sniff(path)
