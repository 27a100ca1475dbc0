"""HTTP service for ssb-twin: FastAPI app, settings, SQLite/PostgreSQL store and a process-based job runner.

The API holds no physics: routes validate input at the edge (``twin.scenario``), call ``twin`` services
(in worker processes for anything CPU-bound) and translate their errors into HTTP codes.
"""
