"""The dossier: its model (models.py), states (states.py), transitions (transitions.py: one guarded UPDATE with
its event, e-mail and webhook), submission (submission.py) and retention (retention.py). Every other feature is a
client of these public functions."""
