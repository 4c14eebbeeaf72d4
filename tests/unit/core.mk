# tests/unit/core.mk: (filled in by its owner)
