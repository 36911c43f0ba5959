"""The web page's words in Italian and English, and dates and amounts written the local way."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

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
    "facet_correspondent": ("Corrispondente", "Correspondent"),
    "facet_tag": ("Etichetta", "Tag"),
    "not_valid": ("non è valido", "is not valid"),
    "vat_id": ("Partita IVA", "VAT id"),
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
    "stack_part_of": ("Documento {n} della pila", "Document {n} of the stack"),
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
    "a_download-failed": ("download interrotto: l'originale non corrisponde", "download cut off: the original does not match"),
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
    "f_expiration_date": ("Scadenza contratto", "Expiration date"),
    "f_renewal_term": ("Rinnovo", "Renewal term"),
    "f_governing_law": ("Legge applicabile", "Governing law"),
    "f_customer_name": ("Cliente", "Customer name"),
    "f_customer_vat": ("P.IVA cliente", "Customer VAT id"),
    "f_customer_cf": ("Codice fiscale cliente", "Customer tax code"),
    "f_vendor_cf": ("Codice fiscale fornitore", "Vendor tax code"),
    "f_address": ("Indirizzo", "Address"),
    "f_payment_method": ("Pagamento", "Payment method"),
    # values
    "v_cash": ("contanti", "cash"),
    "v_card": ("carta", "card"),
    "v_true": ("Sì", "Yes"),
    "v_false": ("No", "No"),
    "v_confirmed": ("confermato", "confirmed"),
    # roles
    "r_archivist": ("archivista", "archivist"),
    "r_auditor": ("revisore", "auditor"),
    "r_admin": ("amministratore", "admin"),
    # more audit actions
    "a_export-sealed": ("esportazione sigillata", "export sealed"),
    "a_token-created": ("token creato", "token created"),
    "a_token-revoked": ("token revocato", "token revoked"),
    "a_search-saved": ("ricerca salvata", "search saved"),
    "a_search-renamed": ("ricerca salvata rinominata", "saved search renamed"),
    "a_search-deleted": ("ricerca salvata eliminata", "saved search deleted"),
    "rename": ("Rinomina", "Rename"),
    "rename_search": ("Nuovo nome della ricerca", "New name of the search"),
    "a_retention-set": ("conservazione impostata", "retention set"),
    "a_legal-hold-set": ("blocco legale impostato", "legal hold set"),
    # page words added for office use
    "page_one": ("pagina", "page"),
    "partial": ("Nessun documento contiene tutte le parole: ecco i più vicini.",
                "No document has every word: these are the closest matches."),
    "filter_problem": ("Filtro ignorato", "Filter ignored"),
    "date_placeholder": ("gg/mm/aaaa", "dd/mm/yyyy"),
    "date_help": ("Un giorno (03/09/2025, 3 settembre 2025), un mese (settembre 2025) o un anno (2025)",
                  "A day (03/09/2025, 3 September 2025), a month (September 2025) or a year (2025)"),
    "number_short": ("n.", "no."),
    "back": ("Indietro", "Back"),
    "upload": ("Carica documenti", "Upload documents"),
    "upload_help": ("Trascina qui i file (PDF, TIFF, JPEG, PNG) o sceglili: seguono le stesse regole della cartella condivisa.",
                    "Drop files here (PDF, TIFF, JPEG, PNG) or choose them: the same rules as the shared folder apply."),
    "upload_choose": ("Scegli i file", "Choose files"),
    "upload_queued": ("in lettura: comparirà nella ricerca appena archiviato", "being read: it will appear in search once filed"),
    "upload_duplicate": ("già in archivio", "already archived"),
    "upload_rejected": ("rifiutato", "refused"),
    "saved_searches": ("Ricerche salvate", "Saved searches"),
    "save_search": ("Salva questa ricerca", "Save this search"),
    "save_search_name": ("Nome della ricerca", "Name of the search"),
    "remove": ("Rimuovi", "Remove"),
    "ss_review_invoices": ("Fatture da rivedere", "Invoices to review"),
    "ss_receipts_month": ("Scontrini di questo mese", "Receipts this month"),
    "ss_latest": ("Ultimi arrivati", "Latest arrivals"),
    "thumbnail": ("Anteprima", "Thumbnail"),
    "tags": ("Etichette", "Tags"),
    "f_tags": ("Etichette", "Tags"),
    "tag_filter": ("Etichetta", "Tag"),
    "bulk_selected": ("selezionati", "selected"),
    "bulk_add_tags": ("Aggiungi etichette (separate da virgola)", "Add tags (comma separated)"),
    "bulk_remove_tags": ("Togli etichette", "Remove tags"),
    "bulk_class": ("Cambia tipo", "Change class"),
    "bulk_keep": ("non cambiare", "keep as is"),
    "bulk_apply": ("Applica ai selezionati", "Apply to selected"),
    "bulk_select_all": ("Seleziona tutti", "Select all"),
    "bulk_done": ("Documenti aggiornati:", "Documents updated:"),
    "audit_show": ("Mostra", "Show"),
    "audit_changes": ("Modifiche, download, esportazioni", "Changes, downloads, exports"),
    "audit_views": ("Consultazioni e anteprime", "Views and previews"),
    "audit_all": ("Tutto", "Everything"),
    "sha256": ("Impronta SHA-256", "SHA-256 fingerprint"),
    "reviewed_auto": ("Tutti i motivi sono stati risolti: il documento è uscito dalla coda.",
                      "Every reason is resolved: the document left the queue."),
    "queue_hint": ("Correggi i campi indicati: quando ogni motivo è risolto il documento esce dalla coda da solo. "
                   "Se i valori letti sono giusti, usa «Segna come rivisto».",
                   "Correct the fields named: once every reason is resolved the document leaves the queue by itself. "
                   "If the values read are right, use “Mark reviewed”."),
    # e-invoices, signatures, mail
    "f_document_type": ("Tipo documento", "Document type"),
    "f_customer_name": ("Cliente", "Customer"),
    "f_customer_vat": ("P.IVA cliente", "Customer VAT id"),
    "f_customer_cf": ("C.F. cliente", "Customer tax code"),
    "f_vendor_cf": ("C.F. fornitore", "Vendor tax code"),
    "f_causale": ("Causale", "Reason for payment"),
    "f_vat_breakdown": ("IVA per aliquota", "VAT per rate"),
    "f_signature": ("Firma digitale", "Digital signature"),
    "sig_valid": ("Firma valida", "Signature valid"),
    "sig_invalid": ("Firma non valida", "Signature broken"),
    "sig_expired": ("Firma valida, certificato scaduto", "Signature valid, certificate expired"),
    "f_signer": ("Firmatario", "Signer"),
    "f_signer_cf": ("C.F. firmatario", "Signer's tax code"),
    "f_signing_time": ("Data firma", "Signing time"),
    "f_signer_cert_valid_from": ("Certificato valido dal", "Certificate valid from"),
    "f_signer_cert_valid_to": ("Certificato valido fino al", "Certificate valid until"),
    "f_signer_trusted": ("Certificatore fidato", "Trusted issuer"),
    "f_sdi_message": ("Messaggio SdI", "SdI message"),
    "f_sdi_id": ("Identificativo SdI", "SdI id"),
    "f_sdi_file_name": ("File fattura", "Invoice file"),
    "f_sdi_outcome": ("Esito", "Outcome"),
    "f_mail_from": ("Mittente", "From"),
    "f_mail_subject": ("Oggetto", "Subject"),
    "f_message_id": ("Message-ID", "Message-ID"),
    "f_pec_sender": ("Mittente PEC", "PEC sender"),
    "f_pec_id": ("Identificativo PEC", "PEC id"),
    "part_of": ("Parte di", "Part of"),
    "parts": ("Documenti collegati", "Linked documents"),
    "arrived_via": ("Provenienza", "Provenance"),
    "rel_einvoice-body": ("fattura del file", "invoice of the file"),
    "rel_attachment": ("allegato", "attachment"),
    "rel_stack-part": ("parte della pila", "part of the stack"),
    "rel_sdi-notification": ("notifica SdI", "SdI notification"),
}

_MONTH_NAMES = {
    "it": ("gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre",
           "novembre", "dicembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}

# Reasons and validation messages as the pipeline writes them, in both languages. Each pattern
# reads one message; {field} is turned into the field's name in the reader's language.
_MESSAGES: list[tuple[re.Pattern[str], str, str]] = [(re.compile(p), it, en) for p, it, en in [
    # the API's own most common refusals
    (r"^no document (?P<id>\S+) in the archive$", "nessun documento {id} in archivio", "no document {id} in the archive"),
    (r"^no saved search (?P<id>\S+) of yours$", "nessuna tua ricerca salvata {id}", "no saved search {id} of yours"),
    (r"^this needs the role (?P<need>[\w, ]+); the token (?P<name>'.*') has the role (?P<has>\w+)$",
     "serve il ruolo {need}; il token {name} ha il ruolo {has}", "this needs the role {need}; the token {name} has the role {has}"),
    (r"^sign in: send an API token as 'Authorization: Bearer <token>'$",
     "accedi: invia un token API come 'Authorization: Bearer <token>'",
     "sign in: send an API token as 'Authorization: Bearer <token>'"),
    (r"^(?P<field>[a-z_]+): not found$", "{field}: non trovato", "{field}: not found"),
    (r"^(?P<field>[a-z_]+): low confidence \((?P<conf>\d+)% < (?P<min>\d+)%\)$",
     "{field}: letto con bassa affidabilità ({conf}% < {min}%)", "{field}: read with low confidence ({conf}% < {min}%)"),
    (r"^(?P<field>[a-z_]+): (?P<msg>.+)$", "{field}: {msg}", "{field}: {msg}"),
    (r"^class uncertain: (?P<cls>\w+) with confidence (?P<conf>[\d.]+) \(threshold (?P<min>[\d.]+)\)$",
     "tipo incerto: {cls} con affidabilità {conf} (soglia {min})", "class uncertain: {cls} with confidence {conf} (threshold {min})"),
    (r"^(?P<id>\S+) is a valid Partita IVA followed by (?P<rest>'[^']*'), which is not part of it$",
     "{id} è una Partita IVA valida seguita da {rest}, che non ne fa parte",
     "{id} is a valid Partita IVA followed by {rest}, which is not part of it"),
    (r"^Partita IVA (?P<id>\S+) is not valid: (?P<why>.+)$", "Partita IVA {id} non valida: {why}",
     "Partita IVA {id} is not valid: {why}"),
    (r"^VAT id (?P<id>\S+) has no country prefix and is not an 11-digit Partita IVA$",
     "P.IVA {id}: manca il prefisso del paese e non è una Partita IVA di 11 cifre",
     "VAT id {id} has no country prefix and is not an 11-digit Partita IVA"),
    (r"^VAT id (?P<id>\S+) does not start with a country code$", "P.IVA {id}: non inizia con il codice del paese",
     "VAT id {id} does not start with a country code"),
    (r"^VAT id (?P<id>\S+) is not valid: (?P<why>.+)$", "P.IVA {id} non valida: {why}", "VAT id {id} is not valid: {why}"),
    (r"^Codice Fiscale (?P<id>\S+) is not valid: (?P<why>.+)$", "Codice fiscale {id} non valido: {why}",
     "Codice Fiscale {id} is not valid: {why}"),
    (r"^IBAN (?P<id>\S+) is not valid: the CIN letter is (?P<cin>\w), the bank details give (?P<exp>\w)$",
     "IBAN {id} non valido: la lettera CIN è {cin}, le coordinate bancarie danno {exp}",
     "IBAN {id} is not valid: the CIN letter is {cin}, the bank details give {exp}"),
    (r"^IBAN (?P<id>\S+) is not valid: (?P<why>.+)$", "IBAN {id} non valido: {why}", "IBAN {id} is not valid: {why}"),
    (r"^date (?P<d>[\d-]+) is in the future$", "la data {d} è nel futuro", "date {d} is in the future"),
    (r"^date (?P<d>[\d-]+) is implausibly old$", "la data {d} è troppo vecchia per essere vera", "date {d} is implausibly old"),
    (r"^date (?P<d>[\d-]+) is after the photo or scan \((?P<t>[\d-]+)\)$",
     "la data {d} è successiva alla foto o scansione ({t})", "date {d} is after the photo or scan ({t})"),
    (r"^due date (?P<due>[\d-]+) is before the issue date (?P<d>[\d-]+)$",
     "la scadenza {due} precede la data del documento {d}", "due date {due} is before the issue date {d}"),
    (r"^net (?P<net>[-\d.]+) \+ VAT (?P<vat>[-\d.]+) = (?P<sum>[-\d.]+), not the total (?P<tot>[-\d.]+)$",
     "imponibile {net} + IVA {vat} = {sum}, non il totale {tot}", "net {net} + VAT {vat} = {sum}, not the total {tot}"),
    (r"^(?P<v>.+) could not be checked$", "{v}: non verificabile", "{v} could not be checked"),
    # values people type (search filters, corrections)
    (r"^(?P<v>'.*') is not an amount: write it as 1451,80, 1\.451,80 or 1451\.80$",
     "{v} non è un importo: scrivilo come 1451,80, 1.451,80 o 1451.80",
     "{v} is not an amount: write it as 1451,80, 1.451,80 or 1451.80"),
    (r"^(?P<v>'.*') is too large for an amount$", "{v} è troppo grande per un importo", "{v} is too large for an amount"),
    (r"^(?P<v>'.*') is not a date that exists$", "{v} non è una data esistente", "{v} is not a date that exists"),
    (r"^(?P<v>'.*') is not a month that exists$", "{v} non è un mese esistente", "{v} is not a month that exists"),
    (r"^(?P<v>'.*') is not a date: write it as .*$",
     "{v} non è una data: scrivila come 03/09/2025, 3 settembre 2025, settembre 2025 o 2025",
     "{v} is not a date: write it as 03/09/2025, 3 settembre 2025, settembre 2025 or 2025"),
    (r"^(?P<v>'.*') is not an amount \(write it as 1234\.56 or 1\.234,56\)$",
     "{v} non è un importo (scrivilo come 1234,56 o 1.234,56)", "{v} is not an amount (write it as 1234.56 or 1.234,56)"),
    (r"^(?P<v>'.*') is not a date that exists \(write it as 2024-03-31 or 31/03/2024\)$",
     "{v} non è una data esistente (scrivila come 31/03/2024)", "{v} is not a date that exists (write it as 2024-03-31 or 31/03/2024)"),
    (r"^(?P<v>'.*') is not a currency code \(EUR, USD, GBP…\)$", "{v} non è un codice di valuta (EUR, USD, GBP…)",
     "{v} is not a currency code (EUR, USD, GBP…)"),
    (r"^the value is longer than 500 characters$", "il valore supera i 500 caratteri", "the value is longer than 500 characters"),
    (r"^expected one value, not a list$", "serve un solo valore, non un elenco", "expected one value, not a list"),
    # python-stdnum's own words
    (r"^The number's checksum or check digit is invalid\.?$", "la cifra di controllo è sbagliata",
     "the check digit is wrong"),
    (r"^The number has an invalid length\.?$", "la lunghezza è sbagliata", "the length is wrong"),
    (r"^The number has an invalid format\.?$", "il formato non è valido", "the format is not valid"),
    (r"^The number contains invalid characters\.?$", "contiene caratteri non ammessi",
     "it contains characters that are not allowed"),
    (r"^The number's component is invalid\.?$", "una parte del numero non è valida", "a part of the number is not valid"),
]]


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

    def role(self, name: str | None) -> str:
        pair = _WORDS.get("r_" + (name or ""))
        return pair[self._column] if pair else (name or "")

    def actor(self, who: str) -> tuple[str, str]:
        """'Maria Bianchi (archivist)' as (name, role in this language)."""
        found = re.fullmatch(r"(.*) \((\w+)\)", who or "")
        return (found[1], self.role(found[2])) if found else (who or "", "")

    def pages(self, n: int) -> str:
        return f"{n} {self('page_one') if n == 1 else self('pages')}"

    def message(self, text: str | None) -> str:
        """A reason or validation message in the reader's language (field names included)."""
        if not text:
            return ""
        for pattern, it, en in _MESSAGES:
            found = pattern.match(text)
            if found:
                parts = found.groupdict()
                if "field" in parts:
                    parts["field"] = self.field(parts["field"])
                if "msg" in parts:
                    parts["msg"] = self.message(parts["msg"])
                if "why" in parts:
                    parts["why"] = self.message(parts["why"])
                if "cls" in parts:
                    parts["cls"] = self(parts["cls"])
                return (it if self.lang == "it" else en).format(**parts)
        return text

    def value(self, value: Any, kind: str = "text", currency: str | None = None) -> str:
        """A field's value as a person reads it: dates, amounts, yes/no, lists as text."""
        if value is None or value == "" or value == []:
            return "–"
        if isinstance(value, bool):
            return self("v_true" if value else "v_false")
        if isinstance(value, list):
            return "; ".join(self.value(v, kind) for v in value)
        if isinstance(value, dict):
            return ", ".join(f"{k}: {self.value(v)}" for k, v in value.items())
        text = str(value)
        if kind == "date" or (kind == "text" and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)):
            return self.date(text)
        if kind == "amount":
            return self.number(text) + (f" {currency}" if currency and self.lang == "it" else "")
        pair = _WORDS.get("v_" + text)
        return pair[self._column] if pair else text

    def month(self, value: str) -> str:
        """A month facet ("2025-09") as words: "settembre 2025"."""
        try:
            year, month = value.split("-")
            return f"{_MONTH_NAMES[self.lang][int(month) - 1]} {year}"
        except (ValueError, IndexError):
            return value

    def number(self, value: Any) -> str:
        """An amount without currency, as typed in this language: 1.451,80 or 1,451.80."""
        try:
            number = Decimal(str(value))
        except InvalidOperation:
            return str(value)
        text = f"{number:,.2f}"
        return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".") if self.lang == "it" else text

    def change(self, name: str, change: Any, kinds: dict[str, str], currency: str | None = None) -> dict[str, str]:
        """One history line's values in words: old → new, or a note."""
        kind = kinds.get(name, "text")
        if name in ("needs_review",):
            kind = "bool"
        if isinstance(change, dict) and "confirmed" in change:
            return {"confirmed": self.value(change["confirmed"], kind, currency)}
        if isinstance(change, dict) and ("old" in change or "new" in change):
            old, new = change.get("old"), change.get("new")
            if name == "class":
                return {"old": self(old) if old else "–", "new": self(new) if new else "–"}
            if name == "review_reasons":
                return {"old": "; ".join(self.message(r) for r in old or []) or "–",
                        "new": "; ".join(self.message(r) for r in new or []) or "–"}
            return {"old": self.value(old, kind, currency), "new": self.value(new, kind, currency)}
        return {"text": self.value(change)}

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
        # Only the currency the document has: no € on a receipt whose currency was not read.
        symbol = {"EUR": "€", "USD": "$", "GBP": "£"}.get(currency or "", currency or "")
        return f"{text} {symbol}".strip() if self.lang == "it" else f"{symbol}{text}"
