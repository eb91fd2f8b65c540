"""What a message may hold: text, bounded, no control character; and the unread markers of each side."""

import pytest

from demarche.dossiers.models import Dossier
from demarche.extensions import db
from demarche.messages import services
from demarche.messages.models import DossierMessage
from tests.backoffice.factories import make_dossier


def test_a_message_is_trimmed_and_its_line_breaks_normalised():
    assert services.clean("  Bonjour,\r\nmerci.\rÀ bientôt\t!  ") == "Bonjour,\nmerci.\nÀ bientôt\t!"


@pytest.mark.parametrize(("text", "reason"), [
    ("   \n ", "Écrivez votre message"),
    ("a" * (services.MAX_LENGTH + 1), "dépasse 2000 caractères"),
    ("nul\x00byte", "caractère de contrôle"),
    ("escape \x1b[31m", "caractère de contrôle"),
    ("ordre \u202egnp.exe", "caractère invisible"),  # right-to-left override
    ("marque \u200fdroite", "caractère invisible"),  # right-to-left mark
    ("sans\u200blargeur", "caractère invisible"),  # zero-width space
])
def test_empty_long_or_control_characters_are_refused(text, reason):
    with pytest.raises(services.MessageRefused, match=reason):
        services.clean(text)


def test_the_longest_message_allowed_is_kept_whole():
    assert services.clean("é" * services.MAX_LENGTH) == "é" * services.MAX_LENGTH


def test_each_side_counts_the_other_sides_messages_since_it_last_read(app):
    reference = make_dossier(app)
    with app.test_request_context():
        dossier = db.session.scalar(db.select(Dossier).filter_by(reference=reference))
        services.post(dossier, "Première question")
        services.post(dossier, "Deuxième question")
        assert services.unread_counts([dossier.id], "agent") == {dossier.id: 2}
        assert services.unread_counts([dossier.id], "citizen") == {}  # one's own messages are never unread
        assert services.read(dossier, "agent") == 2
        db.session.commit()
        assert services.unread_counts([dossier.id], "agent") == {}
        assert [m.author for m in db.session.scalars(db.select(DossierMessage))] == ["usager", "usager"]
