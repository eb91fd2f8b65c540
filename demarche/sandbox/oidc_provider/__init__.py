"""The OpenID Connect provider shared by the FranceConnect and ProConnect simulators.

Keys, store, /authorize, the person's screens, /token, /userinfo, /checktoken, logout and test
controls; a Federation (franceconnect/, proconnect/) gives it its people and rules. See app.build_app.
"""
