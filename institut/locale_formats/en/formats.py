"""English dates as the English pages write them (« 6 December 2026 », « 14:30 »), not Django's
American defaults (« Dec. 6, 2026 », « 2:30 p.m. »): read by every `date` filter and every
localized value, the admin's included. Input formats stay Django's."""

DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
TIME_FORMAT = "H:i"
