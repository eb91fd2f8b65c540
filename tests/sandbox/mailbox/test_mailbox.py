"""The demo mailbox: a real SMTP server that smtplib talks to, and its French page."""

import smtplib
from email.message import EmailMessage

import pytest

from demarche_sandbox.mailbox import Mailbox, SmtpServer, create_app


@pytest.fixture
def server():
    smtp = SmtpServer(Mailbox(), port=0)
    yield smtp
    smtp.stop()


def send(port: int, subject: str, body: str, to: str = "usager@example.fr") -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "Mairie <mairie@example.fr>", to, subject
    message.set_content(body, cte="quoted-printable")
    with smtplib.SMTP("127.0.0.1", port, timeout=5) as smtp:
        smtp.send_message(message)


def test_messages_are_received_decoded_and_listed(server):
    send(server.port, "Votre dossier n° CAN-2026-AAAAAA : accepté", "Bonjour Joëlle,\n.\nMotif : très bien.")
    send(server.port, "Deuxième", "Texte", to="autre@example.fr")
    second, first = server.mailbox.messages()
    assert first.subject == "Votre dossier n° CAN-2026-AAAAAA : accepté" and first.recipients == ("usager@example.fr",)
    assert first.body == "Bonjour Joëlle,\n.\nMotif : très bien.\n" and first.mail_from == "mairie@example.fr"
    client = create_app(mailbox=server.mailbox).test_client()
    page = client.get("/").get_data(as_text=True)
    assert "Courriels reçus" in page and "accepté" in page and page.index("Deuxième") < page.index("accepté")
    assert "Motif : très bien." in client.get(f"/messages/{first.id}").get_data(as_text=True)
    assert client.get("/messages/999").status_code == 404
    assert [m["subject"] for m in client.get("/_sim/messages").json] == ["Deuxième", first.subject]
    assert client.delete("/_sim/messages").status_code == 204 and server.mailbox.messages() == []


def test_the_smtp_conversation_refuses_what_is_out_of_order(server):
    with smtplib.SMTP("127.0.0.1", server.port, timeout=5) as smtp:
        assert smtp.docmd("RCPT", "TO:<a@example.fr>")[0] == 503
        assert smtp.docmd("DATA")[0] == 503
        assert smtp.docmd("VRFY", "x")[0] == 502
        assert smtp.noop()[0] == 250
