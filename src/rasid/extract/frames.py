"""Final event type of a frame: the trigger's type refined by SPEC section 2 rules.

The trigger lexicon already read the words around it (air vs artillery,
raid with or without fire). What is left needs the actors: territory taken
with fighting is ``government_regains_territory`` when the taker is a state
force and ``non_state_actor_overtakes_territory`` otherwise; taken without
fighting it is ``non_violent_transfer_of_territory``.
"""

from __future__ import annotations

from rasid.document import Document, Mention
from rasid.extract.arguments import Roles

_STATE_KINDS = {"state_forces", "external_forces", "government"}
_TERRITORY = {"government_regains_territory", "non_state_actor_overtakes_territory"}


def resolve_type(doc: Document, trig: Mention, roles: Roles) -> tuple[str | None, str | None]:
    etype = trig.data.get("event_type")
    stype = trig.data.get("sub_event_type")
    if not etype or not stype:
        return None, None
    if stype in _TERRITORY or stype == "non_violent_transfer_of_territory":
        if trig.data.get("without_fighting") or trig.data.get("after_withdrawal"):
            return "strategic_developments", "non_violent_transfer_of_territory"
        if stype == "non_violent_transfer_of_territory":
            return etype, stype
        kind = roles.actor1.data.get("actor_kind") if roles.actor1 is not None else None
        if kind in _STATE_KINDS:
            return "battles", "government_regains_territory"
        return "battles", "non_state_actor_overtakes_territory"
    return etype, stype
