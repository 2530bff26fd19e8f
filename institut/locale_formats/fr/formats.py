"""French date-times as French writes them: « 7 décembre 2026 à 08:26 », not Django's
« 7 décembre 2026 08:26 ». Read by every `date` filter and every localized value (the admin's
included); the other formats are Django's French ones. SHORT_DATETIME_FORMAT stays numeric
(« 07/12/2026 08:26 »): Wagtail turns it into a spreadsheet's cell format."""

# A no-break space after « à »: the time never starts a line of its own.
DATETIME_FORMAT = "j F Y à\u00a0H:i"
