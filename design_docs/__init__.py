"""Package data: the generated design docs, indexes and schemas (`make generate` writes them)."""
