"""Generated Malaysian tax-invoice slips (tests/gen_till_totals.py's "excl_incl" block) as OCR
reads them when the net's label is misread by a letter ("Total Salas (Excluding GST)", "Total
Exol. of GST") and the total's own label is lost ("'otal Sales (Inclusive of GST)"), its figure
read right or with its first digit misread. The plain "total" left in the net's line then labels
the net. Each slip says its total; nothing here is a real document."""

from __future__ import annotations

from gen_receipts import Row, _words
from gen_till_totals import till_slip

# How OCR reads the net's label: the vocabulary's ignore list no longer matches it.
NET_LABELS = ("Total Salas (Excluding GST) :", "Total Exol. of GST", "Total Exci. of GST :", "Total Exel. ofGST",
              "Total Sales (Exduding GST) :")


def _text(row: Row) -> str:
    return " ".join(w for w, _ in row)


def net_misread_slip(seed: int, net_label: str, *, figure: str = "plain", payment: str = "cash",
                     summary: bool = False) -> tuple[list[Row], str]:
    """The slip's rows and its total. ``figure``: the total's own figure as printed ("plain") or
    with its first digit misread ("misread")."""
    rows, total = till_slip(seed, "excl_incl", summary=summary, payment=payment)
    out = []
    for row in rows:
        text = _text(row)
        if text.startswith("Total Sales (Excluding GST) :"):
            text = f"{net_label} {text.rsplit(' ', 1)[1]}"
        elif text.startswith("Total Sales (Inclusive of GST) :"):
            shown = total if figure == "plain" else str((int(total[0]) + 3) % 9 + 1) + total[1:]
            text = f"'otal Sales (Inclusive of GST) : {shown}"
        out.append(_words(text))
    return out, total
