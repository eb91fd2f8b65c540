"""Signed verification codes: the reference plus an HMAC; any altered character is refused."""

from demarche.verification.codes import ALPHABET, code_for, normalise, reference_of


def test_a_code_names_its_reference_and_is_read_back_however_it_is_typed(app):
    with app.app_context():
        code = code_for("CAN-2026-7KQ4M2")
        assert code.startswith("CAN-2026-7KQ4M2-") and len(code) == len("CAN-2026-7KQ4M2-ABCD-EFGH")
        assert set(code[-9:].replace("-", "")) <= set(ALPHABET)
        assert reference_of(code) == "CAN-2026-7KQ4M2"
        assert reference_of(f"  {code.lower()} ") == "CAN-2026-7KQ4M2"
        assert reference_of(code[:-5] + code[-4:]) == "CAN-2026-7KQ4M2"  # without the inner dash
        assert reference_of(code.replace("-", " ")) == "CAN-2026-7KQ4M2"
        assert normalise("can 2026-7kq") == "CAN20267KQ"


def test_any_change_to_the_reference_or_the_signature_is_refused(app):
    with app.app_context():
        code = code_for("CAN-2026-7KQ4M2")
        for position in range(len(code)):
            if code[position] == "-":
                continue
            other = "B" if code[position] != "B" else "C"
            assert reference_of(code[:position] + other + code[position + 1:]) is None, position
        assert reference_of("CAN-2026-7KQ4M2") is None and reference_of("") is None
        assert reference_of("n'importe quoi <script>") is None


def test_the_key_comes_from_secret_key(make_app):
    first, second = make_app(SECRET_KEY="a" * 32), make_app(SECRET_KEY="b" * 32)
    with first.app_context():
        code = code_for("CAN-2026-7KQ4M2")
    with second.app_context():
        assert reference_of(code) is None
