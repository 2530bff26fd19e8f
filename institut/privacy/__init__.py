"""Personal data: export (GDPR Art. 15 and 20), erasure (Art. 17) and the retention schedule.

`institut` owns the mechanism; each app registers, from its AppConfig.ready(), a Provider that
exports its rows about a person and erases or pseudonymises them (institut never imports an app).
Public face:

- `register(provider)`, `Provider` and its declarations `TableSpec` (with `Words` for a column
  named by a function of the rows), `FileSpec`, `NoticeSpec`;
  `trail_columns(...)` and `trail_labels(...)` for a trail's table; `Table`, `File`, `Notice`,
  `table(...)` where a declaration does not fit: for the apps;
- `export.personal_data_export(user=...)`: the ZIP of everything held about a person;
- `erasure.account_erase(user=..., actor=...)`: the erasure, in one transaction, idempotent;
- `erasure.erasure_notices(user)`: what is kept and what to know before erasing;
- `retention.retention_apply()`: the daily retention job (task `apply_retention_schedule`).

What is kept, why, for how long and on which legal basis: docs/data-protection.md.
"""

from institut.privacy.registry import (
    File,
    FileSpec,
    Notice,
    NoticeSpec,
    Provider,
    Table,
    TableSpec,
    Words,
    register,
    table,
    trail_columns,
    trail_labels,
)

__all__ = [
    "File",
    "FileSpec",
    "Notice",
    "NoticeSpec",
    "Provider",
    "Table",
    "TableSpec",
    "Words",
    "register",
    "table",
    "trail_columns",
    "trail_labels",
]
