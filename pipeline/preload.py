"""What a worker process needs to read a document, imported once by the server the workers are
forked from (``workers.WorkerPool``): each worker then starts with it in memory instead of
importing it again (about 0.4 s of CPU per worker, the larger part of a small batch's cost)."""

from __future__ import annotations

import contextlib

from .prestart import pause_collection, resume_collection

# The imports below allocate hundreds of thousands of objects and almost no garbage: the collector
# would run about a hundred times through them (0.015-0.02 s of CPU) while no worker can start yet,
# on the critical path of every batch. It is off until they are done and on again for the workers,
# whatever happens (the fork server goes on after a failed preload).
paused = pause_collection()
loaded = False
try:
    from . import classify, derive, doubt, extract, language, process, split, structured  # noqa: F401
    from .config import Settings
    from .logjson import document  # noqa: F401
    from .store import open_archive  # noqa: F401
    from .text import ocr, pdf  # noqa: F401

    with contextlib.suppress(ImportError):  # what a PDF's catalog is inspected with (text.pdf._active_content)
        import pdfminer.pdfdocument  # noqa: F401
        import pdfminer.pdfparser  # noqa: F401
        import pdfminer.pdftypes  # noqa: F401

    # The settings' validators are built on first use (``defer_build``): once here, not per worker
    # (unless the command built them before forking this server: ``prestart._import_shared``).
    with contextlib.suppress(Exception):
        Settings.model_rebuild()

    # All of the above lives as long as the server and is shared by every worker it forks: put out
    # of the collector's reach, it is not walked again by each worker's full collections (about
    # 0.02 s of CPU per worker on a small batch) nor copied page by page as those walks touch it.
    loaded = True
finally:
    if paused:
        resume_collection(freeze=loaded)
