"""Notifications: what the platform tells a person (an entry to review, a decision, a booking),
in the site and, by the channel each person chooses per kind, by e-mail at once or in a daily
digest. Each app calls it from inside the transaction of the effect.

Its public face: services `notify`, `in_language`, `channel_for`, `preferences_save`,
`notification_mark_read`, `notifications_mark_all_read`, `digest_send`; the kinds in
`models.Kind`; privacy: `NotificationData`, its provider of personal data.
"""
