"""Package data: the built shop app (dist/, served at /app/) and the printable invoice page (print/)."""
