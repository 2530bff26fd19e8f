"""The benchmark's volume data: `manage.py seed_scale` fills a database at national scale.

One module per app, each with the same face, a `seed(ctx)` function that loads the app's records
with COPY, in dependency order: institut (the sizes, the shared context, COPY helpers, the people;
its loader is `seed_people`), courses, supervision, certification. What is loaded is what the
services would have written, row for row, so that the pages measured are the real ones.
"""
