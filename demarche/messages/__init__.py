"""The messagerie: one text-only thread per dossier between the citizen and the organisation's agents."""
