"""What just happened on the pattern's path, announced for whoever listens (the demo's coulisses).

The business code sends these and never knows who listens: the coulisses (demarche/coulisses/)
subscribe in the demo and are off the path elsewhere. Receivers must not raise.
Blinker is Flask's own signal library: https://flask.palletsprojects.com/en/stable/signals/
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# FranceConnect: sender is the purpose ("identity" or "data").
authorization_started = _signals.signal("authorization-started")  # url=str
tokens_verified = _signals.signal("tokens-verified")  # tokens=TokenSet (ID token verified)
userinfo_verified = _signals.signal("userinfo-verified")  # claims=dict (signed userinfo verified)

# Data providers: sender is the source key ("quotient_familial", …).
provider_answered = _signals.signal("provider-answered")  # result=SourceResult (value or failure, elapsed)

# Pacing (demarche/resilience/pacer.py): sender is the provider ("api_particulier", …).
pacer_turn = _signals.signal("pacer-turn")  # allowed=bool, wait=float (s), shared=bool (False: Redis did not answer)
provider_paused = _signals.signal("provider-paused")  # seconds=float: a 429 paused every caller
# One exchange with a data provider (demarche/providers/http.py), or its refusal before sending; sender: provider.
provider_call = _signals.signal("provider-call")  # outcome=str (ok, 429, 5xx, timeout, circuit_open…), seconds=float
circuit_seen = _signals.signal("circuit-seen")  # state="closed"|"half_open"|"open", as a guard just found it

# The prefill job (demarche/journey/jobs.py): sender is the ConsentRecord's id.
prefill_job = _signals.signal("prefill-job")  # event="enqueued"|"started"|"retried"|"done", delay=float (retried),
# waited=float (started, done: seconds since the consent)

# The citizen's choice and its outcome: sender is the ConsentRecord.
consent_recorded = _signals.signal("consent-recorded")

# Without FranceConnect (issue 20): sender is a short name of the step; keyword arguments are what the demo
# may show (never the code, never the address, never the data fetched).
email_code = _signals.signal("email-code")  # "sent" | "accepted" | "refused", details=dict
identity_declared = _signals.signal("identity-declared")  # sender: the DeclaredIdentity
identity_check = _signals.signal("identity-check")  # "requested" | "decided", details=dict

# A citizen signed in with FranceConnect: sender is the citizen's id, identity=PivotIdentity (certified). The
# counter filing (demarche/counter/matching.py) finds there the dossiers an agent filed for that person.
citizen_signed_in = _signals.signal("citizen-signed-in")
# Filing at the counter (issue 20): "mandate" | "filed", details=dict (the demo's coulisses).
counter_filing = _signals.signal("counter-filing")
