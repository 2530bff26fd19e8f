"""The e-mail outbox: every e-mail of the platform is a row written in the same transaction as
the effect that causes it, with a unique key (kind, object, recipient, version), then sent by a
task that marks it sent. The same effect twice owes one e-mail; a rolled-back effect owes none;
a crash after the mail server accepted a message resends it at most once, with the same
Message-ID. Messages are multipart: the text, and a branded HTML part.

Public face:

- ``services.email_enqueue(kind=, to=, subject=, text=, about=, version=, attachments=,
  documents=)``: owe an e-mail (inside the effect's transaction); ``documents`` are stored
  documents attached by reference, read when it is sent;
- ``documents.register_document_source(source, read)``: the app that keeps a document (an
  invoice's PDF, a certificate's) says how to read its bytes from its id;
  ``documents.stored_file_bytes(model, id)`` reads a file stored at issue (an attestation);
- ``services.email_resend(email=, actor=)``: staff send a failed one again;
- ``services.emails_send_due()``: send what is due (the beat's task; tests read the e-mails
  after calling it, as a commit would have sent them);
- ``branding.register_branding(callable)``: the app that holds the Institut's details (home)
  says who signs the e-mails;
- ``email_backend.OutboxEmailBackend``: the EMAIL_BACKEND, so that what libraries send with
  Django's mail API (Wagtail's moderation notices…) is owed here too; the outbox sends with
  OUTBOX_EMAIL_BACKEND;
- tasks ``send_email`` and the beat's ``retry_due_emails``.
"""
