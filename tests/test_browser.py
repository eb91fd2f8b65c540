"""The test browser reads a form as a browser would submit it: every input type, select, textarea, checked
boxes, and no disabled control (a field it skipped would silently vanish from the submitted form)."""

from __future__ import annotations

from tests.browser import Page

FORM = """<form action="/formulaire" method="post">
<input type="hidden" name="csrf_token" value="t"><input name="untyped" value="u">
<input type="text" name="nom" value="Léa">
<input type="number" name="quotient_familial" value="650"><input type="email" name="email" value="a@example.fr">
<input type="tel" name="phone" value="0601020304"><input type="date" name="date_naissance" value="2016-05-12">
<input type="url" name="site" value="https://example.fr"><input type="search" name="q" value="x">
<input type="month" name="mois" value="2026-10"><input type="time" name="heure" value="08:30">
<input type="range" name="note" value="4"><input type="password" name="secret" value="s">
<input type="radio" name="zone" value="urbain"><input type="radio" name="zone" value="agglomeration" checked>
<input type="radio" name="c2s" value="oui"><input type="radio" name="c2s" value="non">
<input type="checkbox" name="days" value="lundi" checked><input type="checkbox" name="days" value="mardi">
<input type="checkbox" name="days" value="jeudi" checked><input type="checkbox" name="accept">
<select name="school"><option value="">Choisissez</option><option value="b" selected>B</option></select>
<select name="diet"><option value="standard">Standard</option><option value="sans_porc">Sans porc</option></select>
<select name="plain"><option>Sans valeur</option></select>
<select name="many" multiple><option value="1" selected>1</option><option value="2">2</option>
<option value="3" selected>3</option></select>
<textarea name="comment">\r
Deux lignes,
la seconde &amp; fin</textarea><textarea name="empty">
</textarea>
<input type="text" name="off" value="no" disabled><input type="file" name="piece">
<button type="submit" name="choice" value="accept">Envoyer</button><input type="submit" name="go" value="Valider">
</form>"""


def test_every_control_is_read_as_it_would_be_sent():
    form = Page("http://localhost/x", 200, FORM, []).form("/formulaire")
    assert form.fields == {
        "csrf_token": "t", "untyped": "u", "nom": "Léa", "quotient_familial": "650", "email": "a@example.fr",
        "phone": "0601020304", "date_naissance": "2016-05-12", "site": "https://example.fr", "q": "x",
        "mois": "2026-10", "heure": "08:30", "note": "4", "secret": "s", "zone": "agglomeration",
        "days": ["lundi", "jeudi"], "school": "b", "diet": "standard", "plain": "Sans valeur", "many": ["1", "3"],
        "empty": "",
        "comment": "Deux lignes,\nla seconde & fin"}
    # every named control is known, sent or not: an unchecked radio group is still on the page
    assert form.controls["c2s"] == "radio" and form.controls["accept"] == "checkbox"
    assert form.controls["quotient_familial"] == "number" and form.controls["off"] == "text"
    assert "piece" not in form.fields and "off" not in form.fields
    assert form.buttons == [("choice", "accept", "Envoyer"), ("go", "Valider", "Valider")]
