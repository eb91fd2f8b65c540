"""The agents' back-office: dossiers by status, the dossier with the origin of every value, instruction,
exports, and the journal of who opened what. Agents log in with ProConnect (demarche/auth/proconnect.py)."""
