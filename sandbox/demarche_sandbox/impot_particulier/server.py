"""Serving the simulator: the DGFiP's header ID_Teleservice has an underscore, and Werkzeug's development
server drops every such header (as gunicorn does by default, header_map "drop"), so it is served with
this request handler, which keeps that one header as sent and nothing else."""

from __future__ import annotations

from werkzeug.serving import WSGIRequestHandler

HEADER = "ID_Teleservice"
ENVIRON_KEY = "HTTP_ID_TELESERVICE"


class RequestHandler(WSGIRequestHandler):
    """Werkzeug's handler, plus ID_Teleservice; "ID-Teleservice" (a hyphen) is not the DGFiP's header."""

    def make_environ(self):
        environ = super().make_environ()
        environ.pop(ENVIRON_KEY, None)  # from "ID-Teleservice", which the DGFiP does not read
        for key, value in self.headers.items():
            if key.lower() == HEADER.lower():
                environ[ENVIRON_KEY] = value
        return environ
