"""The OpenID Connect provider shared by the FranceConnect and ProConnect simulators; a Federation gives it
its people and rules (see app.build_app).
"""
