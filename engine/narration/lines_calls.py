"""Templates for the referee and the booth: counts, warnings, finishes, phases and colour.

Fields: {a} actor, {t} target, {m} move, {w} winner, {l} loser, {f} finisher, {method}
("pinfall", "submission", "knockout", "disqualification"), {count} a ten-count so far
("ONE... TWO... SEVEN..."), {n} the number reached, {k} warnings, {col} the colour
commentator, {pbp} the play-by-play voice, {af} the actor's finisher.
"""

from __future__ import annotations

from engine.models.enums import Phase

NUMBER_WORDS = ("ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "EIGHT", "NINE", "TEN")

# Play-by-play voice and colour analyst; a match's seed picks one pairing.
BOOTHS: tuple[tuple[str, str], ...] = (
    ("Jim Rourke", "Dusty Vance"),
    ("Maria Castellanos", "Big Lou Harmon"),
    ("Tony Reyes", "Vic 'The Mouth' Malone"),
    ("Ellen Park", "Skip Calloway"),
)

TEN_COUNT_SURVIVED: tuple[str, ...] = (
    "{t} is down and the count is on: {count} {t} beats it at {n}!",
    "The referee starts the ten-count over {t}: {count} up at {n}, {t} is still in this!",
    "{count} {t} pulls up on the ropes at {n}!",
    "{count} somehow, {t} is on their feet at {n}!",
    "The referee counts over {t}, {count} and {t} staggers up at {n}!",
)
TEN_COUNT_OUT: tuple[str, ...] = (
    "The referee counts over {t}: {count} TEN, and {t} cannot answer!",
    "{count} TEN, {t} stays down, and {a} is the last one standing!",
    "{t} tries to rise... {count} TEN, and it's over for {t}!",
)
REFEREE_STOPPAGE: tuple[str, ...] = (
    "The referee checks on {t} and waves it off: {t} is out cold!",
    "{t} is unconscious, and the referee calls for the bell!",
    "{t} can't defend themselves any more, and the referee stops it!",
)
TAP_OUT: tuple[str, ...] = (
    "{t} has nowhere to go and TAPS OUT to the {m}!",
    "It's over, {t} taps to {a}'s {m}!",
    "{t} taps the mat in surrender: the {m} gets it done for {a}!",
    "{t} TAPS OUT as {a} wrenches the {m} until the referee pulls them apart!",
)
HOLD_SURVIVED: tuple[str, ...] = (
    "{t} is fading, but refuses to tap!",
    "{t} claws toward the ropes and gets a foot on the bottom one!",
    "The referee asks {t} if they want to quit, and {t} screams no!",
    "{t} is a breath from tapping... and drags themselves to the ropes!",
    "{t}'s hand hovers over the mat, but {t} will not give up!",
)
DQ_WARNING: tuple[str, ...] = (
    "That's warning number {k} for {a}.",
    "The referee gets right in {a}'s face: warning {k}.",
    "{a} is on thin ice now, that makes warning number {k}.",
    "The referee wags a finger at {a}: warning number {k}.",
)
DQ_LAST_WARNING: tuple[str, ...] = (
    "One more and {a} is gone, the referee makes that very clear.",
    "{a} is one cheap shot away from a disqualification.",
)
DQ_CALL: tuple[str, ...] = (
    "The referee has seen enough of {a} and calls for the bell: disqualification!",
    "That's it, the referee disqualifies {a} on the spot!",
    "{a} pushed it one step too far, and the referee throws the match out!",
)
BOOKED_BELL: dict[str, tuple[str, ...]] = {
    "pinfall": (
        "With the clock running out, {w} hits the {f} on {l} and covers: ONE... TWO... THREE!",
        "Out of nowhere, {w} lands the {f} on {l}, hooks the leg, ONE... TWO... THREE!",
    ),
    "submission": (
        "In the final seconds, {w} locks in the {f} and {l} has to tap!",
        "{w} catches {l} in the {f} as time runs down, and {l} taps out!",
    ),
    "knockout": (
        "{w} levels {l} with the {f}, and {l} can't answer the ten-count!",
        "One last {f} from {w}, and {l} stays down for the full count of ten!",
    ),
}
TIME_UP: tuple[str, ...] = (
    "The bell rings with {a} and {t} still fighting: time has expired, and it's a draw!",
    "Time runs out with {a} and {t} deadlocked; this match is a time-limit draw!",
    "That's the time limit, and neither {a} nor {t} could finish it, so it's a draw!",
)
WINNER: tuple[str, ...] = (
    "Here is your winner, by {method}: {w}!",
    "{w} defeats {l} by {method}!",
    "The bell rings and {w} takes it by {method}!",
    "Ladies and gentlemen, your winner by {method}... {w}!",
    "It's all over: {w} beats {l} by {method}!",
)
TITLE_ENDS: tuple[str, ...] = (
    "{w} walks out with the championship gold!",
    "And the championship belongs to {w} tonight!",
)

PHASE_SHIFT: dict[Phase, tuple[str, ...]] = {
    Phase.HEAT: (
        "{a} has taken control of this match.",
        "The feeling-out process is over, and {a} is dictating the pace.",
        "{a} is grinding {t} down now.",
    ),
    Phase.COMEBACK: (
        "{a} is mounting a comeback!",
        "Here comes {a}, firing up and fighting from underneath!",
        "The tide is turning, and {a} feels it!",
    ),
    Phase.FINISH: (
        "We are into the closing stretch between {a} and {t}!",
        "Anything can happen now: {a} and {t} are running on fumes.",
        "This is the home stretch, and both {a} and {t} know it.",
    ),
}
COMEBACK_SWING: tuple[str, ...] = (
    "The momentum has swung to {a}!",
    "{a} has wrestled the momentum away from {t}!",
    "Just like that, {a} is back in control of this one.",
)
INJURY_CONCERN: tuple[str, ...] = (
    "{t} landed awkwardly there, and the trainers are watching closely.",
    "{t} is favouring a shoulder after that; that could be a real injury.",
)

# Colour commentary: a quip, a verb and the analyst's name, so lines rarely repeat exactly.
COLOUR_VERBS = ("says", "adds", "notes", "observes", "points out", "insists")
COLOUR_HEEL_UP: tuple[str, ...] = (
    "Say what you want about {a}, that was effective",
    "{a} doesn't need these fans, {a} needs a win",
    "Rules are for people who lose, and {a} isn't losing",
    "{t} had that coming",
    "{a} is the smartest person in this building",
    "You can boo all you like, {a} is winning",
)
COLOUR_FACE_UP: tuple[str, ...] = (
    "{a} has this crowd in the palm of their hand",
    "{t} didn't see that coming from {a}",
    "That's the {a} these people paid to see",
    "You can feel the building come alive for {a}",
    "{a} is fighting for every one of these fans",
)
COLOUR_MISS: tuple[str, ...] = (
    "{a} rushed that one",
    "{t} has done the homework on {a}",
    "{a} is getting frustrated, and frustration costs matches",
    "Big mistake by {a} there",
    "{t} read {a} like a book",
)
COLOUR_PHASE: dict[Phase, tuple[str, ...]] = {
    Phase.OPENING: (
        "{a} and {t} are still feeling each other out",
        "Early days, but {a} looks sharp",
        "{t} is studying {a}, looking for a weakness",
    ),
    Phase.HEAT: (
        "{a} is controlling the pace now",
        "{t} needs to find an answer, and soon",
        "This is where {a} wins matches, in the grind",
    ),
    Phase.COMEBACK: (
        "{a} is running on adrenaline",
        "I'm not sure {t} can weather this storm",
        "Don't ever count {a} out",
    ),
    Phase.FINISH: (
        "One more big move from {a} could end this",
        "Either {a} or {t} could win it right now",
        "{t} is running on fumes",
    ),
}
COLOUR_FINISHER_READY: tuple[str, ...] = (
    "{a} is one big move away from the {af}",
    "If {a} hits the {af}, it's lights out for {t}",
    "I can feel the {af} coming",
)
CROWD: dict[str, tuple[str, ...]] = {
    "cold": (
        "The crowd is quiet for {a} and {t}.",
        "You could hear a pin drop out there as {a} goes to work.",
        "This crowd is waiting for {a} or {t} to give them a reason.",
    ),
    "warm": (
        "The fans are getting into it now, and {a} can feel it.",
        "A buzz is building around the ring for {a}.",
        "The crowd is starting to pick sides between {a} and {t}.",
    ),
    "hot": (
        "The crowd is on its feet for {a}!",
        "This place is rocking as {a} goes to work!",
        "Listen to this crowd; {a} and {t} have them hooked!",
    ),
    "fire": (
        "The building is shaking for {a} and {t}!",
        "This crowd is absolutely unglued for {a} and {t}!",
        "Every single fan is standing, and they're roaring for {a}!",
    ),
}
REACTIONS = {"face": "cheers", "heel": "boos", "tweener": "mixed reactions"}


def count_to(number: int) -> str:
    """The referee's count up to ``number`` (at most nine), paused on ellipses."""
    return " ".join(f"{word}..." for word in NUMBER_WORDS[: max(1, min(number, 9))])


def heat_band(heat: float) -> str:
    if heat < 30:
        return "cold"
    if heat < 55:
        return "warm"
    if heat < 75:
        return "hot"
    return "fire"
