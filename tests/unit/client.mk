# tests/unit/client.mk: (filled in by its owner)
