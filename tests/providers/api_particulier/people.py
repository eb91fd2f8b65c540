"""Pivot identities of the API Particulier simulator's personas, as FranceConnect certifies them."""

from demarche.identity import PivotIdentity

ANGELA = PivotIdentity("Angela Claire Louise", "DUBOIS", "1962-08-24", "female", "75107", "99100")
PIERRE = PivotIdentity("Pierre", "MERCIER", "1969-03-17", "male", "95277", "99100", preferred_username="DUBOIS")
JOELLE = PivotIdentity("Joëlle Françoise", "DUBINÔRE", "1992-08-15", "female", "75117", "99100")
PAUL = PivotIdentity("Paul", "CUILLERE", "2007-01-23", "male", "42218", "99100")
MELISSANDRE = PivotIdentity("Melissandre Juliette", "TROIS-DUPRE", "1981-07-27", "female", "13012", "99100")
JEAN = PivotIdentity("Jean Philippe Arnaud", "DUBIGNOT", "1943-06-15", "male", "75109", "99100")
