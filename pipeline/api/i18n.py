"""The web page's words in Italian and English, and dates and amounts written the local way."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from fastapi import Request

LANGUAGES = ("it", "en")
LANG_COOKIE = "archivio_lang"

_WORDS: dict[str, tuple[str, str]] = {
    # key: (italiano, English)
    "search": ("Cerca", "Search"),
    "search_placeholder": ("Parole, numero fattura, P.IVA, IBAN…", "Words, invoice number, VAT id, IBAN…"),
    "review_queue": ("Da rivedere", "Review queue"),
    "sign_in": ("Accedi", "Sign in"),
    "sign_out": ("Esci", "Sign out"),
    "token": ("Token di accesso", "Access token"),
    "token_help": ("Incolla il token che ti ha dato l'amministratore (archivio token create).",
                   "Paste the token your administrator gave you (archivio token create)."),
    "token_invalid": ("Token non valido, revocato o scaduto.", "The token is not valid, revoked or expired."),
    "filters": ("Filtri", "Filters"),
    "class": ("Tipo", "Class"),
    "any": ("Tutti", "Any"),
    "date_from": ("Data dal", "Date from"),
    "date_to": ("Data al", "Date to"),
    "amount_min": ("Importo min", "Amount min"),
    "amount_max": ("Importo max", "Amount max"),
    "vendor": ("Fornitore", "Vendor"),
    "needs_review": ("Da rivedere", "Needs review"),
    "only_needs_review": ("Solo da rivedere", "Only needing review"),
    "sort": ("Ordina", "Sort"),
    "sort_relevance": ("Pertinenza", "Relevance"),
    "sort_date_desc": ("Data, recenti prima", "Date, newest first"),
    "sort_date": ("Data, vecchi prima", "Date, oldest first"),
    "sort_amount_desc": ("Importo, dal maggiore", "Amount, largest first"),
    "sort_amount": ("Importo, dal minore", "Amount, smallest first"),
    "apply": ("Applica", "Apply"),
    "clear": ("Azzera", "Clear"),
    "results": ("risultati", "results"),
    "result": ("risultato", "result"),
    "no_results": ("Nessun documento trovato.", "No documents found."),
    "previous": ("Precedenti", "Previous"),
    "next": ("Successivi", "Next"),
    "export": ("Esporta ZIP", "Export ZIP"),
    "export_help": ("Originali, schede, voci di audit e manifest con SHA-256 dei documenti filtrati.",
                    "Originals, records, audit entries and a SHA-256 manifest of the filtered documents."),
    "facet_class": ("Tipo", "Class"),
    "facet_vendor": ("Fornitore", "Vendor"),
    "facet_month": ("Mese", "Month"),
    "invoice": ("Fattura", "Invoice"),
    "receipt": ("Scontrino", "Receipt"),
    "contract": ("Contratto", "Contract"),
    "other": ("Altro", "Other"),
    "fields": ("Dati estratti", "Extracted fields"),
    "field": ("Campo", "Field"),
    "value": ("Valore", "Value"),
    "confidence": ("Affidabilità", "Confidence"),
    "valid": ("valido", "valid"),
    "invalid": ("non valido", "invalid"),
    "low_confidence": ("bassa affidabilità", "low confidence"),
    "save": ("Salva correzioni", "Save corrections"),
    "saved": ("Salvato: versione", "Saved: version"),
    "note": ("Nota (facoltativa)", "Note (optional)"),
    "mark_reviewed": ("Segna come rivisto", "Mark reviewed"),
    "reviewed_ok": ("Documento segnato come rivisto.", "Document marked reviewed."),
    "conflict": ("Qualcun altro ha modificato il documento nel frattempo. Ricarica la pagina e riapplica la correzione.",
                 "Someone else changed the document meanwhile. Reload the page and apply your correction again."),
    "reload": ("Ricarica", "Reload"),
    "download": ("Scarica originale", "Download original"),
    "download_copy": ("Scarica PDF/A ricercabile", "Download searchable PDF/A"),
    "stack_parts": ("Documenti di questa pila", "Documents in this stack"),
    "first_page": ("Questo documento inizia a pagina", "This document starts at page"),
    "move_boundary": ("Sposta il confine", "Move the boundary"),
    "part_of": ("Documento {n} della pila", "Document {n} of the stack"),
    "show_text": ("Testo", "Text"),
    "verify": ("Verifica integrità", "Verify integrity"),
    "verify_ok": ("Integro: lo SHA-256 dell'originale corrisponde.", "Intact: the original's SHA-256 matches."),
    "verify_bad": ("ALTERATO", "ALTERED"),
    "history": ("Storico", "History"),
    "audit_trail": ("Registro di audit", "Audit trail"),
    "no_history": ("Nessuna modifica.", "No changes."),
    "reasons": ("Motivi", "Reasons"),
    "version": ("versione", "version"),
    "pages": ("pagine", "pages"),
    "page": ("Pagina", "Page"),
    "received": ("Ricevuto", "Received"),
    "source": ("Origine", "Source"),
    "document": ("Documento", "Document"),
    "queue_empty": ("Nessun documento da rivedere.", "Nothing waits for review."),
    "read_only": ("Sola lettura: il tuo ruolo non può modificare.", "Read-only: your role cannot make changes."),
    "forbidden": ("Accesso negato", "Not allowed"),
    "error": ("Errore", "Error"),
    "back_to_search": ("Torna alla ricerca", "Back to search"),
    "add_field": ("Aggiungi campo", "Add field"),
    "working": ("Attendere…", "Working…"),
    "date": ("Data", "Date"),
    "total": ("Totale", "Total"),
    "file": ("File", "File"),
    "role": ("ruolo", "role"),
    "required_missing": ("obbligatorio: manca", "required: missing"),
    # what happened to a document (history and audit trail)
    "a_filed": ("archiviato", "filed"),
    "a_viewed": ("visualizzato", "viewed"),
    "a_downloaded": ("scaricato", "downloaded"),
    "a_text-read": ("testo letto", "text read"),
    "a_previewed": ("anteprima", "previewed"),
    "a_corrected": ("corretto", "corrected"),
    "a_reviewed": ("rivisto", "reviewed"),
    "a_verified": ("verificato", "verified"),
    "a_exported": ("esportato", "exported"),
    # field names
    "f_class": ("Tipo", "Class"),
    "f_note": ("Nota", "Note"),
    "f_needs_review": ("Da rivedere", "Needs review"),
    "f_review_reasons": ("Motivi", "Reasons"),
    "f_number": ("Numero", "Number"),
    "f_date": ("Data", "Date"),
    "f_due_date": ("Scadenza", "Due date"),
    "f_total_amount": ("Totale", "Total"),
    "f_net_amount": ("Imponibile", "Net amount"),
    "f_vat_amount": ("IVA", "VAT"),
    "f_vendor_vat": ("P.IVA fornitore", "Vendor VAT id"),
    "f_iban": ("IBAN", "IBAN"),
    "f_currency": ("Valuta", "Currency"),
    "f_vendor_name": ("Fornitore", "Vendor"),
    "f_merchant_name": ("Esercente", "Merchant"),
    "f_parties": ("Parti", "Parties"),
    "f_agreement_date": ("Data stipula", "Agreement date"),
    "f_effective_date": ("Decorrenza", "Effective date"),
}


def language(request: Request) -> str:
    """?lang= wins, then the cookie the switch left, then the browser's preference; Italian by default."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    saved = request.cookies.get(LANG_COOKIE)
    if saved in LANGUAGES:
        return saved
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in LANGUAGES:
            return code
    return "it"


class Words:
    def __init__(self, lang: str):
        self.lang = lang
        self._column = LANGUAGES.index(lang)

    def __call__(self, key: str) -> str:
        pair = _WORDS.get(key)
        return pair[self._column] if pair else key

    def field(self, name: str) -> str:
        pair = _WORDS.get("f_" + name)
        return pair[self._column] if pair else name.replace("_", " ")

    def action(self, name: str) -> str:
        pair = _WORDS.get("a_" + name)
        return pair[self._column] if pair else name

    def date(self, iso: str | None) -> str:
        if not iso or len(iso) < 10:
            return iso or "–"
        y, m, d = iso[:10].split("-")
        return f"{d}/{m}/{y}" if self.lang == "it" else iso[:10]

    def amount(self, value: str | None, currency: str | None = None) -> str:
        if value in (None, ""):
            return "–"
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        text = f"{number:,.2f}"
        if self.lang == "it":
            text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
        symbol = {"EUR": "€", "USD": "$", "GBP": "£"}.get(currency or "EUR", currency or "")
        return f"{text} {symbol}".strip() if self.lang == "it" else f"{symbol}{text}"
