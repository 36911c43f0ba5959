"""Mail intake: IMAP mailboxes (PEC included) polled by ``archivio watch`` beside the folder.

``poller`` fetches new messages and hands each to intake as an ``.eml``; ``message`` reads a
stored message into its record and the attachments that become documents of their own.
"""
