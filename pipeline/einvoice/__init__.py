"""Italian e-invoices: FatturaPA XML (plain or CAdES-signed ``.p7m``) and SdI messages.

``detect`` recognises the files by content, ``xmlsafe`` parses untrusted XML, ``p7m`` opens and
checks signatures, ``fatturapa`` reads the invoices, ``render`` makes the Italian copy, and
``analyse`` puts them together into the pipeline's ``Analysis``.
"""

from .detect import EML, P7M, XML

__all__ = ["XML", "P7M", "EML"]
