"""Serves WSGI apps on loopback ports in background threads: the demo and the tests use it.

An app often needs its own URL before it exists (an OIDC issuer is "<base URL>/api/v2"), so the
socket is bound first and the app is built from the URL it got.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class _Handler(WSGIRequestHandler):
    """Werkzeug's handler without its `Server: Werkzeug/x Python/y` header (it tells what to attack)."""

    def send_header(self, keyword: str, value: str) -> None:
        if keyword.lower() != "server":
            super().send_header(keyword, value)


class _Slot:
    """A WSGI app whose target is set after the socket is bound."""

    def __init__(self) -> None:
        self.app: Callable | None = None

    def __call__(self, environ, start_response):
        assert self.app is not None, "server started before its app was built"
        return self.app(environ, start_response)


@dataclass
class RunningServer:
    """A server running in a daemon thread; stop() shuts it down."""

    url: str
    app: object
    server: BaseWSGIServer
    thread: threading.Thread

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


def serve(build: Callable[[str], object], host: str = "127.0.0.1", port: int = 0,
          request_handler: type[WSGIRequestHandler] | None = None) -> RunningServer:
    """Bind host:port (0 picks a free port), build the app with build(url), serve it threaded
    (`request_handler`: a Werkzeug handler of the app's own, e.g. one keeping a header Werkzeug drops)."""
    # Werkzeug's access log prints query strings (authorization codes, identity parameters):
    # the apps log their requests themselves, without them.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    slot = _Slot()
    server = make_server(host, port, slot, threaded=True, request_handler=request_handler or _Handler)
    url = f"http://{host}:{server.server_port}"
    slot.app = build(url)
    # A short poll interval: stop() returns at once instead of after up to 0.5 s (tests start many servers).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, name=f"wsgi-{url}",
                              daemon=True)
    thread.start()
    return RunningServer(url=url, app=slot.app, server=server, thread=thread)
