"""The citizen's journey, the same for every démarche: consent, certified prefill, review, submission,
receipt. The démarches themselves are declared in demarche/procedures/."""
