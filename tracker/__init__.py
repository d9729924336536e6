"""tracker: an implementation plan kept as schema-checked YAML in git.

The package is a library with a thin command-line layer (`tracker.cli`). The library never
imports click except for the user-facing error classes in `tracker.errors`.
"""

__version__ = "0.1.0"
