"""The relying-party side: the OIDC client, the login flow, FranceConnect (citizens) and ProConnect (agents).

`demarche.auth.session` is the one typed accessor of what the session holds about the person signed in:
no other module reads or writes a session key.
"""
