"""Renewal for the next school year: start next year's dossier from an accepted one, and the invitation e-mail
sent to the families who asked for it (demarche/renewal/invitations.py)."""
