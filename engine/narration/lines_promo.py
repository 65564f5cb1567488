"""Promo templates by alignment: {me} speaker, {foe} opponent, {f} finisher, {thing} a gimmick
phrase, {quote} a few words of the opponent's last line. Heels insult the crowd and the
opponent; faces rally the crowd; tweeners care only about themselves."""

from __future__ import annotations

from engine.models.enums import Alignment

OPENERS: dict[Alignment, tuple[str, ...]] = {
    Alignment.HEEL: (
        "Look at all of you, cheering like sheep for {foe}. I am the {thing}, and the {f} is "
        "all any of you deserve!",
        "Shut up, all of you! Nobody in this dump understands the {thing}, least of all {foe}.",
        "{foe}, you're a joke, and this town is the punchline. The {thing} ends you with the {f}.",
        "I didn't come here for your cheers, you ungrateful lot. I came to show {foe} what the "
        "{thing} really means.",
        "Save your boos, you bunch of losers. {foe} is finished the second the {thing} steps "
        "through those ropes.",
    ),
    Alignment.FACE: (
        "This crowd is why I lace up my boots! {foe}, the {thing} is coming for you, and so "
        "is the {f}!",
        "Every one of you gets a piece of this, because the {thing} fights for you! {foe}, get "
        "ready for the {f}.",
        "Make some noise! {foe} thinks nobody believes in the {thing}, and you just proved "
        "otherwise.",
        "I hear you, all of you! Tonight the {thing} gives {foe} the fight this town deserves.",
        "You people carried me here, and the {thing} won't let you down. {foe}, the {f} is "
        "waiting.",
    ),
    Alignment.TWEENER: (
        "Cheer, boo, I don't care. The {thing} is here for one reason, and {foe} is standing "
        "in the way.",
        "{foe}, nobody here has figured out the {thing} yet, and neither will you.",
        "Love me or hate me, the {thing} gets paid either way. {foe} just gets the {f}.",
        "I don't do speeches for the crowd. I do the {f}, and {foe} is next for the {thing}.",
    ),
}

RESPONSES: dict[Alignment, tuple[str, ...]] = {
    Alignment.HEEL: (
        "So it's ‘{quote}’? That's the best you've got, {foe}? The {thing} has heard scarier "
        "things from the clowns in the cheap seats.",
        "{foe} says ‘{quote}’, and these idiots cheer it. The {f} shuts all of you up, "
        "courtesy of the {thing}.",
        "Listen to {foe}: ‘{quote}’. Pathetic, just like every fan in this building. The "
        "{thing} is going to enjoy this.",
        "Oh, ‘{quote}’, says the hero of the nobodies. {foe}, the {thing} eats people like you for "
        "breakfast.",
        "You really think ‘{quote}’ scares the {thing}, {foe}? Look around; even your fans "
        "don't believe it.",
    ),
    Alignment.FACE: (
        "You say ‘{quote}’? Say that to these people, {foe}! The {thing} answers with the {f}.",
        "You can run your mouth about ‘{quote}’, {foe}, but this crowd and the {thing} will be "
        "right there when the {f} lands.",
        "{foe}, these fans heard you say ‘{quote}’. They're going to love watching the {thing} "
        "prove you wrong.",
        "You said ‘{quote}’, huh? {foe}, every person in this arena is behind the {thing}, "
        "and that scares you.",
        "Keep talking about ‘{quote}’, {foe}. The {thing} does the talking with the {f}, and "
        "these fans know it!",
    ),
    Alignment.TWEENER: (
        "You think ‘{quote}’ is cute, {foe}? The {thing} doesn't need their love or their "
        "hate, just the {f}.",
        "{foe} says ‘{quote}’. I say the {thing} takes what it wants, and tonight that's you.",
        "Heard it all before, {foe}: ‘{quote}’. The {thing} is still standing, and you won't be.",
        "Spare me ‘{quote}’, {foe}. The {thing} is only here for the win.",
    ),
}

CLOSERS: dict[Alignment, tuple[str, ...]] = {
    Alignment.HEEL: (
        "Last word, {foe}: ‘{quote}’ is going on your tombstone, and these losers can carve "
        "it. The {thing} is done talking.",
        "Enough! {foe} can keep ‘{quote}’, and this crowd can keep crying. The {f} is coming, "
        "and so is the {thing}.",
    ),
    Alignment.FACE: (
        "Remember ‘{quote}’, {foe}, because these people will remember the {f}! The {thing} "
        "is done talking!",
        "That's it, {foe}: ‘{quote}’ ends tonight. Everybody here, get loud for the {thing}!",
    ),
    Alignment.TWEENER: (
        "You want an answer to ‘{quote}’, {foe}? Final answer: the {f}. The {thing} has "
        "nothing more to say.",
        "We're done here, {foe}. Keep ‘{quote}’; the {thing} keeps the win.",
    ),
}
