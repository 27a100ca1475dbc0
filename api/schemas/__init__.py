"""Request bodies (``requests``) and response bodies (``responses``), kept apart."""
