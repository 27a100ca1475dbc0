"""One module per ``ssb-twin`` command; each exposes ``register(app)``."""
