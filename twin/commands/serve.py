"""``ssb-twin serve --host H --port P``: run the HTTP API with uvicorn (settings from SSB_TWIN_* variables).

This command is the one hand-over from the CLI to the ``api`` package; it names the app by import string
(``api.main:create_app``) and loads the settings class dynamically, so ``twin`` keeps no import of ``api``.
"""

from __future__ import annotations

import importlib

import click


def register(group: click.Group) -> None:
    @group.command("serve")
    @click.option(
        "--host",
        default="127.0.0.1",
        show_default=True,
        help="interface to listen on (0.0.0.0 for all; put a TLS proxy in front)",
    )
    @click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="TCP port")
    @click.option(
        "--log-level",
        default="info",
        show_default=True,
        type=click.Choice(["critical", "error", "warning", "info", "debug"]),
    )
    def serve(host: str, port: int, log_level: str) -> int:
        """Serve the HTTP API (OpenAPI docs at /docs). One server process; jobs run in worker processes."""
        import uvicorn

        from twin.cli import InputError

        try:
            # fail here, with the variable named (never its value: it may be the API key), rather than
            # with a traceback inside uvicorn's startup
            settings = importlib.import_module("api.settings").load_settings()
        except ValueError as exc:
            raise InputError(f"SSB_TWIN_* settings: {exc}") from None
        try:
            importlib.import_module("api.store").JobStore(settings.resolved_database_url()).close()
        except Exception as exc:  # noqa: BLE001 - any driver/permission failure is a bad setting
            raise InputError(f"SSB_TWIN_DATABASE_URL / SSB_TWIN_DATA_DIR: cannot open the database "
                             f"({type(exc).__name__}); check the URL, the driver and the folder's "
                             "permissions") from None
        # one server process on purpose: the job dispatcher is the single writer of job state
        uvicorn.run(
            "api.main:create_app",
            factory=True,
            host=host,
            port=port,
            log_level=log_level,
            workers=1,
            proxy_headers=False,
            server_header=False,
        )
        return 0
