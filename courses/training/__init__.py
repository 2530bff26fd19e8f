"""In-person training: sessions of a course held in a room or by video, and what a French
training organisation (organisme de formation) must keep for each of them.

A session is made of half-day slots. Trainees who hold an enrolment in the course are placed in a
session (or wait for a place), receive a convocation, sign the attendance sheet of each half-day
on their own phone, answer the satisfaction questionnaires, and receive a certificat de
réalisation stating the hours carried out. Staff build one evidence pack per session for a
Qualiopi audit and read the BPF figures of a year.

Public face, for other code:

- ``courses.training.selectors.training_hours(user)``: hours carried out in sessions, from the
  signed attendance (what certification reads, through ``courses.selectors``);
- ``courses.training.services``: every state change (``session_create``, ``placement_create``,
  ``slot_signing_open``, ``attendance_sign``, ``attendance_record``, ``slot_sign``,
  ``session_close``, ``satisfaction_submit``, ``evidence_pack_request``…);
- ``courses.training.emails.email_send``: the one door of this package's e-mails.

Models have the ``courses`` app label; they are imported by name in ``courses/models.py``.
"""
