"""Worker processes end when the server process is gone, however it ended (even SIGKILL).

The server holds the only write end of a pipe; every worker gets the read end and waits on it in a daemon
thread. The kernel closes the write end when the server dies, the read returns EOF, and the worker exits
(a job worker takes its process group, i.e. any pool the twin started, with it). Without this, pool
workers of a killed server would wait for work forever.
"""

from __future__ import annotations

import os
import signal
import threading
from multiprocessing.connection import Connection
from typing import Any


class ServerLifeline:
    """The pipe; ``reader`` is handed to worker processes, the writer never leaves the server."""

    def __init__(self, context: Any):
        self.reader, self._writer = context.Pipe(duplex=False)

    def close(self) -> None:
        self._writer.close()
        self.reader.close()


def exit_when_server_gone(reader: Connection, whole_group: bool = False) -> None:
    """Start the watcher thread in a worker process (also usable as a pool ``initializer``)."""

    def wait_for_eof() -> None:
        try:
            while True:
                reader.recv_bytes()
        except (EOFError, OSError):
            pass
        if whole_group and hasattr(os, "killpg") and os.getpgid(0) == os.getpid():
            os.killpg(os.getpid(), signal.SIGKILL)
        os._exit(1)

    threading.Thread(target=wait_for_eof, name="ssb-twin-lifeline", daemon=True).start()


__all__ = ["ServerLifeline", "exit_when_server_gone"]
