# tests/unit/hub.mk: (filled in by its owner)
