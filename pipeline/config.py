"""Settings: read once, validated, passed down.

Three layers, later ones win: the defaults shipped in ``config/archivio.toml``, an optional user
file (``--config`` or ``ARCHIVIO_CONFIG``) and ``ARCHIVIO_<SECTION>_<KEY>`` environment variables.
A bad value stops start-up with one message that names the setting and where it came from.
"""

from __future__ import annotations

import os
import tomllib
import typing
from pathlib import Path
from typing import Any, Literal

from pydantic import (BaseModel, ConfigDict, Field, SecretStr, SerializationInfo, ValidationError, ValidationInfo,
                      field_serializer, field_validator)

from .errors import ConfigError

ENV_PREFIX = "ARCHIVIO_"


def config_dir() -> Path:
    """The folder holding the shipped configuration (defaults, vocabularies, index template)."""
    packaged = Path(__file__).parent / "_config"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "config"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True, defer_build=True)


class PathsSettings(_Section):
    inbox: Path
    processed: Path
    quarantine: Path
    duplicates: Path
    data: Path


class WatchSettings(_Section):
    settle_seconds: float = Field(ge=0)
    polling: bool
    poll_interval: float = Field(gt=0)
    rescan_seconds: float = Field(ge=0)
    after_intake: Literal["move", "delete"]
    ignore: list[str]


class WorkerSettings(_Section):
    count: int = Field(ge=0)
    document_timeout: float = Field(gt=0)
    max_pages: int = Field(ge=1)
    max_file_mb: int = Field(ge=1)
    max_memory_mb: int = Field(ge=128)
    shutdown_grace: float = Field(ge=0)

    @property
    def processes(self) -> int:
        return self.count or os.cpu_count() or 1


# What an extra reading of a photo may change ("psm=6 threshold=sauvola"), with a value check.
READING_OPTIONS = {
    "psm": lambda v: v.isdigit() and 0 <= int(v) <= 13,
    "threshold": lambda v: v in ("otsu", "adaptive", "sauvola"),
    "dictionaries": lambda v: v.lower() in ("true", "false"),
    "deskew": lambda v: v.lower() in ("true", "false"),
    "text_height": lambda v: v.isdigit(),
    "upscale_below": lambda v: v.isdigit(),
}


class OcrSettings(_Section):
    languages: str
    dpi: int = Field(ge=72, le=1200)
    fix_orientation: bool
    psm: int = Field(ge=0, le=13)
    photo_psm: int = Field(ge=0, le=13)
    photo_alternates: list[str]
    # Photos: read once, then re-read enlarged only the lines whose total/date the first reading
    # leaves uncorroborated (replaces ``photo_alternates`` and the whole-page enlargement). On by
    # default since its strips stopped reading a photo's grey paper as print and faded print is
    # re-read cleaned (pipeline/text/photo.py): 2.5-4.5x less CPU per photo, and as trustworthy
    # as the whole readings: wrong totals filed without review 1 against 1 on the dev receipts
    # (142) and 0 against 0 on 240 generated slips, dates and totals at least level on faint thin
    # print. It sends a few more right totals to review on the dev corpus (21 against 18).
    photo_second_look: bool = True
    # Photos whose print is faded or whose paper is lit by a smooth shadow are flattened and their
    # ink stretched before Tesseract reads them (pipeline/text/cleanup.py); crisp ones untouched.
    # Off by default: on generated faded/shadowed slips it recovers every field lost (both photo
    # readings), but on the dev corpus (5 of 65 measure-half, 2 of 77 study-half receipts faded by
    # its measure) no total, date or merchant F1 moved, and with the second look one more wrong
    # total was filed as sure on the measure half (3 against 2).
    photo_cleanup: bool = False
    # Image files of slips turned by a degree or more are straightened once, before any reading
    # (pipeline/text/ocr.py ``straightened``); ``deskew`` is for document pages. Off by default:
    # on the study half's slips tilted 2.5 degrees it brings dates 0.87 -> 0.94 and totals 0.84
    # -> 0.92 (turned at twice the size), the study half as scanned reads the same, but its one
    # slip scanned 2.25 degrees crooked lost its total on two of its degraded copies (gained it
    # on one); on the measured half (mostly straight scans) it costs one total (0.925 -> 0.910)
    # and moves no date.
    photo_deskew: bool = False
    # The day an image file (EXIF) or a scanned PDF (its creation date) says it was made is kept
    # with its pages (pipeline/text/taken.py): a slip's date read after it goes to review. Off for
    # a scanner or camera whose clock is known to be wrong.
    image_dates: bool = True
    dictionaries: bool
    upscale_below: int = Field(ge=0, le=10000)
    threshold: Literal["otsu", "adaptive", "sauvola"]
    deskew: bool
    text_height: int = Field(ge=0, le=200)
    min_text_chars: int = Field(ge=0)
    max_image_pixels: int = Field(ge=1_000_000)
    page_timeout: float = Field(ge=0)
    # "api": Tesseract loaded once per worker (tesserocr); "cli": the tesseract command per reading.
    engine: Literal["api", "cli"] = "api"

    @field_validator("photo_alternates")
    @classmethod
    def _alternates_name_known_options(cls, value: list[str]) -> list[str]:
        for spec in value:
            for item in spec.split():
                key, _, option = item.partition("=")
                allowed = READING_OPTIONS.get(key)
                if allowed is None:
                    raise ValueError(f"unknown OCR option {key!r} in {spec!r}; known: {sorted(READING_OPTIONS)}")
                if not allowed(option):
                    raise ValueError(f"bad value {option!r} for {key} in {spec!r}")
        return value

    @field_validator("languages")
    @classmethod
    def _languages_look_like_tesseract_codes(cls, value: str) -> str:
        parts = value.split("+")
        if not all(p and p.replace("_", "").isalnum() for p in parts):
            raise ValueError("expected Tesseract codes joined by '+', e.g. 'ita+eng'")
        return value


class ClassifySettings(_Section):
    vocabulary: Path | None
    model: Path | None
    model_weight: float = Field(ge=0, le=1)
    min_confidence: float = Field(ge=0, le=1)


class ExtractSettings(_Section):
    vocabulary: Path | None


class StoreSettings(_Section):
    backend: Literal["local", "s3"]
    path: Path | None
    # S3-compatible bucket (backend = "s3", and the target of `archivio migrate --to s3`)
    endpoint_url: str
    region: str
    bucket: str
    prefix: str
    addressing_style: Literal["auto", "path", "virtual"]
    profile: str
    access_key_id: str
    secret_access_key: SecretStr
    ca_bundle: Path | None
    retry_mode: Literal["standard", "adaptive"]
    max_attempts: int = Field(ge=1, le=20)
    connect_timeout: float = Field(gt=0)
    read_timeout: float = Field(gt=0)
    multipart_threshold_mb: int = Field(ge=5)
    multipart_chunk_mb: int = Field(ge=5, le=5120)
    max_concurrency: int = Field(ge=1, le=64)
    url_expiry_seconds: int = Field(ge=1, le=7 * 24 * 3600)

    @field_validator("prefix")
    @classmethod
    def _prefix_is_a_folder(cls, value: str) -> str:
        value = value.strip("/")
        if ".." in value.split("/"):
            raise ValueError("a key prefix may not contain '..'")
        return value + "/" if value else ""

    @field_validator("bucket")
    @classmethod
    def _s3_needs_a_bucket(cls, value: str, info: ValidationInfo) -> str:
        if info.data.get("backend") == "s3" and not value.strip():
            raise ValueError('store.backend is "s3": name the bucket')
        return value.strip()

    @field_serializer("secret_access_key", when_used="json")
    def _mask_secret(self, value: SecretStr, info: SerializationInfo) -> str:
        # Shown masked (`archivio config`); handed on in clear only to our own worker processes.
        context = info.context or {}
        return value.get_secret_value() if context.get("reveal_secrets") else ("********" if value else "")


class RetentionSettings(_Section):
    """How long filed originals are kept unchangeable, per document class (S3 Object Lock)."""

    mode: Literal["GOVERNANCE", "COMPLIANCE"]
    invoice_years: int = Field(ge=0, le=100)
    receipt_years: int = Field(ge=0, le=100)
    contract_years: int = Field(ge=0, le=100)
    other_years: int = Field(ge=0, le=100)

    # What the years count from, per class (pipeline/store/retention.py): "filed", "end-of-day:FIELD"
    # or "fiscal-year-end:FIELD"; a document without that field counts from its filing.
    invoice_from: str = "fiscal-year-end:date"
    receipt_from: str = "fiscal-year-end:date"
    contract_from: str = "end-of-day:expiration_date"
    other_from: str = "filed"
    fiscal_year_end: str = Field("12-31", pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
    # Rules for one document type within a class ("invoice:TD04" = "10 fiscal-year-end:date"),
    # the type being the record's document_type field; they win over the class's rule.
    by_type: dict[str, str] = {}

    def years(self, doc_class: str) -> int:
        return getattr(self, f"{doc_class}_years", self.other_years)

    def anchor(self, doc_class: str) -> str:
        return getattr(self, f"{doc_class}_from", self.other_from)

    @field_validator("invoice_from", "receipt_from", "contract_from", "other_from")
    @classmethod
    def _known_anchor(cls, value: str) -> str:
        kind, _, field = value.partition(":")
        if kind == "filed" and not field:
            return value
        if kind in ("end-of-day", "fiscal-year-end") and field:
            return value
        raise ValueError('write "filed", "end-of-day:FIELD" or "fiscal-year-end:FIELD"')


class PreservationSettings(_Section):
    """Preservation packages (pipeline/preservation): who produces them, the TSA, the signature."""

    producer_name: str = ""  # the organisation whose archive this is (soggetto produttore)
    producer_vat: str = ""  # its partita IVA
    producer_cf: str = ""  # its codice fiscale
    manager: str = ""  # responsabile della conservazione, named in the index
    confidential: bool = False  # AgID "Riservato" for every document unless known otherwise
    tsa_url: str = ""  # RFC 3161 Time Stamping Authority; empty: packages are not timestamped
    tsa_username: str = ""
    tsa_password: SecretStr | None = None
    tsa_ca_file: Path | None = None  # PEM certificates the TSA's certificate must be issued by
    tsa_timeout: float = Field(30.0, gt=0)
    sign_cert: Path | None = None  # PEM certificate and key for a CAdES signature of the index
    sign_key: Path | None = None
    sign_key_password: SecretStr | None = None

    @field_validator("tsa_password", "sign_key_password", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value


class IndexSettings(_Section):
    backend: Literal["sqlite", "elasticsearch"]
    path: Path | None
    # -- elasticsearch ------------------------------------------------------------------------
    hosts: list[str] = ["http://127.0.0.1:9200"]
    api_key: SecretStr | None = None
    username: str = ""
    password: SecretStr | None = None
    ca_certs: Path | None = None
    verify_certs: bool = True
    prefix: str = Field("archivio", pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    request_timeout: float = Field(30.0, gt=0)
    max_retries: int = Field(3, ge=0)
    refresh: Literal["wait_for", "true", "false"] = "wait_for"
    bulk_chunk: int = Field(500, ge=1)
    replicas: int = Field(1, ge=0)

    @field_validator("api_key", "password", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_serializer("api_key", "password", when_used="json")
    def _mask_secrets(self, value: SecretStr | None, info: SerializationInfo) -> str | None:
        if value is None:
            return None
        context = info.context or {}
        return value.get_secret_value() if context.get("reveal_secrets") else "********"

    @field_validator("refresh", mode="before")
    @classmethod
    def _refresh_as_written(cls, value: Any) -> Any:
        return str(value).lower() if isinstance(value, bool) else value  # TOML `refresh = false` too

    @field_validator("hosts")
    @classmethod
    def _hosts_are_urls(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("at least one Elasticsearch URL is needed, e.g. https://es1:9200")
        for host in value:
            if not host.startswith(("http://", "https://")):
                raise ValueError(f"{host!r} is not a URL (expected http://host:port or https://host:port)")
        return value


class ApiSettings(_Section):
    host: str
    port: int = Field(ge=0, le=65535)
    preview_width: int = Field(ge=200, le=4000)
    preview_cache: Path | None
    low_confidence: float = Field(ge=0, le=1)
    secure_cookies: bool


class ReviewSettings(_Section):
    # A key field (invoice number, date, total, VAT id; receipt total and date; contract parties)
    # read below this confidence sends its document to the review queue.
    min_key_confidence: float = Field(ge=0, le=1)


class UploadSettings(_Section):
    folder: str = Field(min_length=1, pattern=r"^[^/\\.][^/\\]*$")  # the folder hint uploads are filed under
    max_files: int = Field(ge=1, le=1000)


class EInvoiceSettings(_Section):
    # PEM file of certificates trusted to issue signing certificates (an export of the AgID
    # trust list, or the office's own); empty: signatures are checked, issuers are not.
    trust_list: Path | None = None


class MailAccount(_Section):
    name: str = Field(min_length=1, pattern=r"^[\w.-]+$")  # shown as the documents' folder: mail/<name>
    host: str = Field(min_length=1)
    port: int = Field(default=993, ge=1, le=65535)
    security: Literal["tls", "starttls", "none"] = "tls"
    user: str = Field(min_length=1)
    # The password never sits in the file itself: an environment variable or a secret file names it.
    password_env: str = ""
    password_file: Path | None = None
    folders: list[str] = ["INBOX"]
    after: Literal["flag", "move", "delete"] = "flag"  # delete only when asked for explicitly
    move_to: str = "Archiviati"
    ca_bundle: Path | None = None

    def password(self) -> str:
        if self.password_file is not None:
            try:
                return self.password_file.read_text(encoding="utf-8").strip()
            except OSError as exc:
                raise ConfigError(f"mail account {self.name}: cannot read password_file {self.password_file}: "
                                  f"{exc.strerror}") from None
        if self.password_env:
            value = os.environ.get(self.password_env)
            if value is None:
                raise ConfigError(f"mail account {self.name}: the environment variable {self.password_env} "
                                  "(password_env) is not set")
            return value
        raise ConfigError(f"mail account {self.name}: set password_env or password_file")


class MailSettings(_Section):
    # Seconds between two looks into each mailbox.
    poll_seconds: float = Field(default=60.0, ge=1)
    # An attachment larger than this stays inside the stored message and is not filed on its own.
    max_attachment_mb: int = Field(default=50, ge=1)
    # Network timeout of one IMAP command.
    timeout: float = Field(default=60.0, gt=0)
    # Wait for new mail with IMAP IDLE where the server offers it (filed within seconds); false:
    # look every poll_seconds only (for a server whose IDLE misbehaves).
    idle: bool = True
    accounts: list[MailAccount] = []
class LimitSettings(_Section):
    """What one HTTP client may make the server hold (issue 11): bodies, page images, sessions."""

    body_kb: int = Field(ge=1, le=1_048_576)
    correction_body_kb: int = Field(ge=1, le=1_048_576)
    login_body_kb: int = Field(ge=1, le=1024)
    preview_max_pixels: int = Field(ge=100_000, le=500_000_000)
    session_hours: float = Field(gt=0, le=24 * 30)


class LogSettings(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"]
    file: Path | None
    format: Literal["text", "json"] = "text"  # json: one object a line, with the document id when there is one

    @field_validator("level", mode="before")
    @classmethod
    def _upper(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value


class QueueSettings(_Section):
    """Where documents wait to be read: the embedded journal, or a Celery broker shared by many
    machines (``archivio watch`` then only takes files in; ``archivio worker`` reads them)."""

    backend: Literal["local", "celery"] = "local"
    broker_url: SecretStr = SecretStr("redis://127.0.0.1:6379/0")
    result_url: SecretStr | None = None  # chord results (split scans' parts; nothing else is stored); empty = the broker
    name: str = Field("archivio", pattern=r"^[A-Za-z0-9_.-]+$")  # the broker queue's name
    # Longer than workers.document_timeout, or Redis hands a document still being read to a second worker.
    visibility_timeout: float = Field(0.0, ge=0)  # 0 = workers.document_timeout × 2 + 60
    split_pages: int = Field(40, ge=0)  # scans with at least this many pages are read in parts by many workers; 0 = never
    split_part: int = Field(10, ge=1)  # pages in one part
    resend_after: float = Field(0.0, ge=0)  # re-send a document not filed after this long; 0 = visibility timeout × 2
    metrics_port: int = Field(0, ge=0, le=65535)  # Prometheus /metrics of watch and worker; 0 = none

    @field_validator("broker_url", "result_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == "" else value

    @field_serializer("broker_url", "result_url", when_used="json")
    def _mask(self, value: SecretStr | None, info: SerializationInfo) -> str | None:
        if value is None:
            return None
        context = info.context or {}
        raw = value.get_secret_value()
        return raw if context.get("reveal_secrets") else without_credentials(raw, "********@")


def without_credentials(url: str, mask: str = "") -> str:
    """``redis://:secret@host:6379/0`` as ``redis://<mask>host:6379/0``: for logs, status and config."""
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{mask}{rest.rsplit('@', 1)[1]}" if "@" in rest else url
class CopiesSettings(_Section):
    """Archive copies: a searchable PDF/A-2b kept beside each scanned original (pipeline/copies/)."""

    enabled: bool = True
    born_digital: bool = False  # also convert PDFs that needed no OCR (otherwise kept as they are)
    timeout: float = Field(120.0, ge=0)  # seconds Ghostscript may take on one PDF; 0 = no limit


class SplitSettings(_Section):
    """Stacks of paper scanned as one file, split into documents (pipeline/split/)."""

    separators: bool = True  # look for separator sheets (barcode or PATCH T) before OCR
    separator_values: list[str] = ["ARCHIVIO-SEP"]  # Code 128 / QR values that mark a separator
    patch_t: bool = True  # a PATCH T sheet is a separator too
    barcode_dpi: int = Field(100, ge=50, le=300)  # resolution pages are scanned for barcodes at
    by_content: bool = False  # without separators, start a new document where the content says so
    duplex: Literal["auto", "true", "false"] = "auto"  # blank even pages are backs of sheets, dropped
    min_class_confidence: float = Field(0.85, ge=0, le=1)  # a change of class this sure starts a document


class Settings(_Section):
    paths: PathsSettings
    watch: WatchSettings
    workers: WorkerSettings
    ocr: OcrSettings
    classify: ClassifySettings
    extract: ExtractSettings
    store: StoreSettings
    retention: RetentionSettings
    index: IndexSettings
    api: ApiSettings
    log: LogSettings
    preservation: PreservationSettings = PreservationSettings()
    review: ReviewSettings
    upload: UploadSettings
    einvoice: EInvoiceSettings = Field(default_factory=EInvoiceSettings)
    mail: MailSettings = Field(default_factory=MailSettings)
    queue: QueueSettings = QueueSettings()
    limits: LimitSettings
    copies: CopiesSettings = CopiesSettings()
    split: SplitSettings = SplitSettings()

    # -- derived locations ----------------------------------------------------------------
    @property
    def store_path(self) -> Path:
        return self.store.path or self.paths.data / "store"

    @property
    def store_location(self) -> str:
        """Where the archive is kept, for people: the folder, or the bucket and prefix."""
        if self.store.backend == "s3":
            at = f" at {self.store.endpoint_url}" if self.store.endpoint_url else ""
            return f"s3://{self.store.bucket}/{self.store.prefix}{at}"
        return str(self.store_path)

    @property
    def index_path(self) -> Path:
        return self.index.path or self.paths.data / "index.sqlite3"

    @property
    def preview_cache_path(self) -> Path:
        return self.api.preview_cache or self.paths.data / "cache" / "previews"

    @property
    def journal_path(self) -> Path:
        return self.paths.data / "journal.sqlite3"

    @property
    def classify_vocabulary(self) -> Path:
        return self.classify.vocabulary or config_dir() / "classify.toml"

    @property
    def classify_model(self) -> Path | None:
        path = self.classify.model or config_dir() / "classify_model.json"
        return path if path.is_file() else None

    @property
    def extract_vocabulary(self) -> Path:
        return self.extract.vocabulary or config_dir() / "fields.toml"


# ---------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------
def load_settings(
    config_file: str | os.PathLike[str] | None = None,
    *,
    env: typing.Mapping[str, str] | None = None,
    overrides: dict[str, Any] | None = None,
    cwd: Path | None = None,
) -> Settings:
    """Build the settings from defaults, an optional file, the environment and ``overrides``.

    ``overrides`` uses dotted keys (``{"paths.inbox": "/srv/in"}``) and wins over everything; the
    CLI and the tests use it.
    """
    env = os.environ if env is None else env
    cwd = cwd or Path.cwd()
    defaults_file = config_dir() / "archivio.toml"
    merged: dict[str, Any] = {}
    origin: dict[str, str] = {}

    _merge(merged, origin, _read_toml(defaults_file), source="defaults", base_dir=cwd)
    config_file = config_file or env.get(ENV_PREFIX + "CONFIG") or None
    if config_file:
        path = Path(config_file).expanduser()
        if not path.is_absolute():
            path = cwd / path
        if not path.is_file():
            raise ConfigError(f"configuration file not found: {path}", path=str(path))
        _merge(merged, origin, _read_toml(path), source=str(path), base_dir=path.parent)

    for dotted, env_name, annotation in _env_names(Settings):
        if env_name in env:
            _set_dotted(merged, dotted, _from_env(env[env_name], annotation))
            origin[dotted] = f"environment {env_name}"
            _mark_base(merged, dotted, cwd)
    for dotted, value in (overrides or {}).items():
        _set_dotted(merged, dotted, value)
        origin[dotted] = "command line"
        _mark_base(merged, dotted, cwd)

    try:
        settings = Settings.model_validate(_resolve_paths(merged))
    except ValidationError as exc:
        raise ConfigError(_explain(exc, origin)) from None
    settings.__dict__["_origin"] = origin  # for `archivio config`; not a model field
    return settings


def setting_origins(settings: Settings) -> dict[str, str]:
    return dict(settings.__dict__.get("_origin", {}))


def env_names() -> list[tuple[str, str]]:
    """Every setting's dotted name with its environment variable, for docs and `archivio config`."""
    return [(dotted, name) for dotted, name, _ in _env_names(Settings)]


# A relative path is resolved against the directory of the layer that set it. The merge keeps
# that directory beside the value in a tagged tuple until validation.
_BASE = "__base__"


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path} is not valid TOML: {exc}", path=str(path)) from None


def _merge(dst: dict, origin: dict, src: dict, *, source: str, base_dir: Path, prefix: str = "") -> None:
    for key, value in src.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            if not isinstance(dst.get(key), dict):
                dst[key] = {}
            _merge(dst[key], origin, value, source=source, base_dir=base_dir, prefix=dotted + ".")
        else:
            dst[key] = value
            dst[f"{key}{_BASE}"] = base_dir
            origin[dotted] = source


def _set_dotted(tree: dict, dotted: str, value: Any) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[leaf] = value


def _mark_base(tree: dict, dotted: str, base: Path) -> None:
    *parents, leaf = dotted.split(".")
    for part in parents:
        tree = tree.setdefault(part, {})
    tree[f"{leaf}{_BASE}"] = base


def _resolve_paths(tree: dict, model: type[BaseModel] = Settings, base: Path | None = None) -> dict:
    """``base``: the directory of the layer that set a whole list of tables (``[[mail.accounts]]``),
    whose inner values carry no tag of their own."""
    out: dict[str, Any] = {}
    for key, value in tree.items():
        if key.endswith(_BASE):
            continue
        field = model.model_fields.get(key)
        if field is None:
            out[key] = value  # unknown key: let validation name it
            continue
        sub = _submodel(field.annotation)
        if sub is not None and isinstance(value, dict):
            out[key] = _resolve_paths(value, sub, base)
        elif (item := _list_of_submodel(field.annotation)) is not None and isinstance(value, list):
            table_base = tree.get(f"{key}{_BASE}") or base
            out[key] = [_resolve_paths(v, item, table_base) if isinstance(v, dict) else v for v in value]
        elif _is_path(field.annotation) and isinstance(value, str):
            if value.strip() == "":
                out[key] = None
            else:
                path = Path(value).expanduser()
                where = tree.get(f"{key}{_BASE}") or base or Path.cwd()
                out[key] = path if path.is_absolute() else Path(where) / path
        else:
            out[key] = value
    return out


def _submodel(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    return None


def _list_of_submodel(annotation: Any) -> type[BaseModel] | None:
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation) or (None,)
        return _submodel(item)
    return None


def _is_path(annotation: Any) -> bool:
    if annotation is Path:
        return True
    return Path in typing.get_args(annotation)


def _env_names(model: type[BaseModel], prefix: str = "") -> typing.Iterator[tuple[str, str, Any]]:
    for name, field in model.model_fields.items():
        dotted = f"{prefix}{name}"
        sub = _submodel(field.annotation)
        if sub is not None:
            yield from _env_names(sub, dotted + ".")
        else:
            yield dotted, ENV_PREFIX + dotted.replace(".", "_").upper(), field.annotation


def _from_env(raw: str, annotation: Any) -> Any:
    """Environment values are strings; lists are written comma-separated."""
    if typing.get_origin(annotation) is list:
        return [item.strip() for item in raw.strip("[]").split(",") if item.strip()]
    return raw


def _explain(exc: ValidationError, origin: dict[str, str]) -> str:
    lines = ["invalid configuration:"]
    for err in exc.errors():
        dotted = ".".join(str(p) for p in err["loc"])
        where = origin.get(dotted)
        if err["type"] == "extra_forbidden":
            msg = "unknown setting (check the spelling)"
        elif err["type"] == "missing":
            msg = "missing"
        else:
            msg = f"{err['msg']} (got {err.get('input')!r})"
        lines.append(f"  {dotted}: {msg}" + (f" [from {where}]" if where else ""))
    return "\n".join(lines)
