"""Log lines stay bounded whatever a client sends (hostile input (g))."""

import json
import logging

from demarche.observability import MAX_VALUE, JsonFormatter


def test_every_logged_value_is_truncated():
    huge = "x" * 20_000
    record = logging.LogRecord("demarche.franceconnect", logging.WARNING, __file__, 1, "error %s", (huge,), None)
    record.context = {"error": huge, "nested": {"detail": huge, "list": [huge] * 100}, "status": 400, huge: 1}
    line = JsonFormatter().format(record)
    entry = json.loads(line)
    assert len(line) < 6 * MAX_VALUE
    assert len(entry["message"]) == len(entry["error"]) == len(entry["nested"]) == MAX_VALUE
    assert entry["error"].endswith("…") and entry["status"] == 400


def test_an_oauth_error_of_20_kb_on_the_callback_makes_no_20_kb_line(client, caplog):
    caplog.set_level(logging.INFO)
    client.get("/franceconnect/callback", query_string={"error": "e" * 20_000, "state": "s" * 20_000})
    lines = [JsonFormatter().format(record) for record in caplog.records if record.name.startswith("demarche")]
    assert lines and max(len(line) for line in lines) < 4 * MAX_VALUE
