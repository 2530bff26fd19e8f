"""The benchmark of the platform at national scale (`make bench`): see docs/performance.md."""
