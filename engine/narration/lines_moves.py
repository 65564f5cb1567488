"""Play-by-play templates for every action, landed or not ({a} actor, {t} target, {m} move).

``{am}`` is the move with its article ("a body slam", "the Coffin Drop"), ``{Am}`` the same
capitalised. ``{react}`` is the crowd's answer to the actor (cheers, boos, a mixed reaction).
Every template names the actor, so a tick's narration always says who did what.
"""

from __future__ import annotations

from engine.models.enums import ActionId

HIT = "hit"
MISS = "miss"
CRASH = "crash"  # a missed aerial: the flyer hurts themselves
SEEN = "seen"  # a cheat the referee saw

MOVE_LINES: dict[tuple[ActionId, str], tuple[str, ...]] = {
    (ActionId.STRIKE, HIT): (
        "{a} lands {am} on {t}.",
        "{a} fires off {am}, and {t} staggers back into the corner.",
        "{Am} from {a} rocks {t}!",
        "{a} connects with {am} that echoes around the building.",
        "{a} catches {t} coming in with {am}.",
        "{t} eats {am} courtesy of {a}.",
        "{a} unloads {am}, and {t} sags against the ropes.",
        "{a} snaps off {am} right on the button against {t}.",
        "{t} walks straight into {am} from {a}.",
    ),
    (ActionId.STRIKE, MISS): (
        "{a} swings for {am}, but {t} ducks under it.",
        "{t} blocks {a}'s {m} and fires right back.",
        "{a} telegraphs the {m} and {t} sidesteps it.",
        "{a} goes for {am}; {t} sees it coming and steps away.",
        "{t} catches {a}'s {m} and shoves it aside.",
        "Swing and a miss: {a} whiffs on the {m} against {t}.",
        "{a} throws {am} at thin air as {t} slips out of range.",
    ),
    (ActionId.GRAPPLE, HIT): (
        "{a} hoists {t} up and drops them with {am}!",
        "{a} plants {t} with {am}.",
        "{Am} from {a}, and {t} bounces off the canvas!",
        "{a} muscles {t} up and delivers {am}.",
        "Huge {m} by {a}, and {t} is flattened.",
        "{a} locks a waistlock on {t} and turns it into {am}.",
        "{t} is driven into the mat by {a}'s {m}.",
        "{a} hits {am} on {t} and the ring shakes.",
    ),
    (ActionId.GRAPPLE, MISS): (
        "{a} tries for {am}, but {t} slips out the back.",
        "{t} blocks the {m} and shoves {a} away.",
        "{a} can't get {t} up for the {m}.",
        "{t} counters {a}'s {m} with a quick hip toss.",
        "{a} goes for {am}; {t} wriggles free.",
        "{t} plants their feet and refuses {a}'s {m}.",
        "{a} strains for {am}, but {t} is too heavy right now.",
    ),
    (ActionId.TECHNICAL, HIT): (
        "{a} out-wrestles {t} with {am}.",
        "Slick {m} from {a}, and {t} is grounded.",
        "{a} chains into {am}, keeping {t} off balance.",
        "{a} shows off the mat skills with {am} on {t}.",
        "{a} snatches {t} with {am}, textbook stuff.",
        "{t} is tied up in knots after {a}'s {m}.",
        "{a} grounds {t} with {am} and stays a step ahead.",
    ),
    (ActionId.TECHNICAL, MISS): (
        "{a} goes for {am}, but {t} reverses it!",
        "{t} rolls through {a}'s {m} and reverses the hold!",
        "{a} sets up the {m}; {t} counters with a slick reversal.",
        "{t} has {a}'s {m} scouted and reverses it.",
        "{a} reaches for {am}, and {t} turns it around on them.",
        "{t} switches out of the {m} and {a} is suddenly on the defence.",
    ),
    (ActionId.AERIAL, HIT): (
        "{a} takes to the air, and {am} crashes down on {t}!",
        "{a} scales the turnbuckles and nails {t} with {am}!",
        "{Am} from {a}, and {t} is wiped out!",
        "Picture-perfect {m} by {a} onto {t}!",
        "{a} launches off the top rope and lands {am} on {t}.",
        "{a} defies gravity with {am}, and {t} is down.",
        "{a} hits the ropes and flies into {t} with {am}!",
    ),
    (ActionId.AERIAL, CRASH): (
        "{a} goes for {am}, but {t} rolls away and {a} crashes hard!",
        "{a} flies with {am}... and hits nothing but canvas as {t} moves!",
        "{t} moves out of the way and {a}'s {m} ends in a painful crash.",
        "{a} comes off the top for {am} and {t} isn't there; that had to hurt.",
        "Disaster for {a}: the {m} misses {t} and {a} lands in a heap.",
        "{a} overshoots the {m} and crumples to the mat while {t} watches.",
    ),
    (ActionId.AERIAL, MISS): (
        "{a} climbs for {am}, but {t} cuts them off up top.",
        "{t} shoves {a} off the ropes before the {m} can come.",
        "{a} thinks better of the {m} as {t} rolls clear.",
    ),
    (ActionId.SUBMISSION, HIT): (
        "{a} cinches in {am} on {t}!",
        "{a} wrenches back on {am}, and {t} screams in pain.",
        "{t} is trapped in {a}'s {m}.",
        "{a} locks on {am}, working over {t}'s joints.",
        "{a} traps {t} in {am} in the middle of the ring.",
        "{a} sinks in {am}; {t} is in real trouble.",
        "{a} grinds {t} down with {am}.",
    ),
    (ActionId.SUBMISSION, MISS): (
        "{a} reaches for {am}, but {t} kicks free.",
        "{t} powers out of the {m} before {a} can lock it in.",
        "{t} reverses {a}'s {m} and slips away!",
        "{a} can't sink the {m} in; {t} squirms to the ropes.",
        "{a} goes for {am}, and {t} turns it around!",
        "{t} has an answer for {a}'s {m} and breaks free.",
    ),
    (ActionId.SIGNATURE, HIT): (
        "{a} hits the {m}, and {t} is in big trouble.",
        "Here it comes... the {m}! {a} nails it on {t}!",
        "{a} signals for the {m} and delivers it to {t}!",
        "{a} plants {t} with the {m}, and the crowd knows what that means.",
        "{t} walks right into the {m} from {a}!",
        "{a} pulls out the {m}, and it lands flush on {t}!",
    ),
    (ActionId.SIGNATURE, MISS): (
        "{a} sets up the {m}, but {t} escapes at the last second.",
        "{t} counters the {m} and {a} can't believe it.",
        "{a} tries for the {m}; {t} saw it coming.",
        "{t} wriggles out of the {m} and shoves {a} into the ropes.",
        "{a} goes for the {m}, and {t} blocks it cold.",
    ),
    (ActionId.FINISHER, HIT): (
        "{a} calls for it... the {m}! {a} drills {t} with it!",
        "{a} lands the {m} on {t}, and this could be it!",
        "There it is, the {m}! {a} hits it on {t}!",
        "{a} sets {t} up and delivers the {m} with everything left!",
        "{a} connects with the {m} and {t} is motionless!",
        "Out of nowhere, {a} hits {t} with the {m}!",
    ),
    (ActionId.FINISHER, MISS): (
        "{a} goes for the {m}, but {t} slips free!",
        "{t} escapes the {m} and {a} is stunned.",
        "{a} signals for the {m}... and {t} counters it!",
        "No {m} yet: {t} fights out of {a}'s grasp.",
        "{a} sets up the {m}, but {t} wriggles loose at the last second!",
    ),
    (ActionId.TAUNT, HIT): (
        "{a} stops for {am}, and the {react} shake the arena.",
        "{a} soaks it in with {am} while {t} seethes.",
        "{a} milks the moment with {am}, drawing {react} from every corner.",
        "{Am} from {a}, and the crowd answers with {react}.",
        "{a} turns to the crowd for {am} and gets {react} back.",
        "{a} plays to the fans with {am}, ignoring {t} completely.",
    ),
    (ActionId.TAUNT, MISS): (
        "{a} tries {am}, but the crowd isn't buying it.",
        "{a} wastes time on {am} and {t} is back up.",
        "{a}'s {m} falls flat, and {t} is already waiting.",
        "{a} goes for {am} and gets near silence.",
    ),
    (ActionId.REST, HIT): (
        "{a} slows things down with {am}.",
        "{a} buys some time with {am}.",
        "{a} needs {am}, and {t} has to wait.",
        "{a} takes {am} while the crowd grows restless.",
        "{t} waves {a} back in after {am}.",
        "{a} catches a breath with {am}, away from {t}.",
    ),
    (ActionId.CHEAT, HIT): (
        "{a} goes for {am} behind the referee's back!",
        "With the referee distracted, {a} hits {t} with {am}.",
        "{a} sneaks in {am} on {t} while the official looks away.",
        "Dirty tactics from {a}: {am}, and the referee missed it!",
        "{a} gets away with {am} on {t}.",
        "{a} distracts the referee and slips in {am} on {t}.",
    ),
    (ActionId.CHEAT, SEEN): (
        "{a} tries {am} on {t}, but the referee sees everything!",
        "{a} goes for {am} right in front of the official.",
        "{Am} from {a}, and the referee catches it.",
        "{a} gets caught red-handed with {am} on {t}.",
    ),
    (ActionId.CHEAT, MISS): (
        "{a} tries {am}, but {t} blocks it.",
        "{t} catches {a} reaching for {am}.",
        "{a}'s {m} attempt backfires on them.",
        "{a} goes for {am}; {t} is wise to it.",
    ),
    (ActionId.WEAPON, HIT): (
        "{a} connects with {am} on {t}!",
        "No disqualification means no mercy: {a} blasts {t} with {am}!",
        "{a} pulls something from under the ring and follows with {am} to {t}.",
        "{a} punishes {t} with {am}.",
        "{Am} from {a} leaves {t} in a heap.",
    ),
    (ActionId.WEAPON, MISS): (
        "{a} swings for {am}, but {t} ducks!",
        "{t} kicks the weapon away before {a} can land {am}.",
        "{a} loses the weapon and {t} takes advantage.",
        "{a} winds up for {am} and {t} dodges it.",
    ),
}

# A pin is never a plain hit or miss: the count is the story.
PIN_ONE: tuple[str, ...] = (
    "{a} tries {am}, but {t} is out at ONE.",
    "{a} goes for {am}; ONE... and {t} powers out.",
    "Too soon from {a}: {am} gets only ONE before {t} throws them off.",
    "{a} hooks a leg with {am}, ONE... {t} is nowhere near done.",
)
PIN_TWO: tuple[str, ...] = (
    "{a} hooks the leg for {am}: ONE... TWO... {t} kicks out!",
    "{a} scores with {am}, ONE... TWO... and {t} gets a shoulder up!",
    "{Am} from {a}... ONE... TWO... {t} kicks out just in time!",
    "ONE... TWO... {t} kicks out of {a}'s {m}!",
    "{a} rolls {t} up with {am}, ONE... TWO... NO, {t} escapes at two!",
    "The referee counts {a}'s {m}: ONE... TWO... {t} kicks out at two and a half!",
    "{a} goes for {am}, ONE... TWO... {t} survives by a hair!",
)
PIN_THREE: tuple[str, ...] = (
    "{a} goes for {am} on {t}: ONE... TWO... THREE!",
    "{a} hooks the leg with {am}, ONE... TWO... THREE, and {t} stays down!",
    "ONE... TWO... THREE: {a} pins {t} with {am}!",
    "{Am} from {a}... ONE... TWO... THREE, {t} couldn't kick out!",
)
