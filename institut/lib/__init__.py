"""Small framework-free helpers, each with its own tests in tests/institut/.

- env: typed readers of environment variables, with a clear error naming a bad one;
- money: integer cents written the way a language writes them;
- durations: hours and minutes written the way a language writes them, never decimal hours;
- references: reference numbers (the unambiguous alphabet, a fresh number, a typed one read back);
- text: the key a name is searched by (accents, case and spacing folded);
- request_memo: reads memoised for the length of one request.
"""
