"""The second factor of the people who certify something (trainers, committee, editors, staff).

Checked for the session: the login (or a later step) completed a second factor, as allauth
records it in the session, not merely "the account has an authenticator". The first
authenticator of a privileged person is enrolled only after following a link e-mailed to the
account's verified address, in the same session.

Public face: `policy.required`, `policy.completed_in_session`, `policy.challenge`
(the decorator and middleware in institut/decorators.py and institut/middleware.py use them).
"""
