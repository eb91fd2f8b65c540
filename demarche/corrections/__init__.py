"""The correction loop: an agent asks the citizen to change declared answers, the citizen corrects them on the
démarche's own form (certified values locked) and confirms; the move itself is demarche/dossiers/transitions.py."""
