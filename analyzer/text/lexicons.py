"""Word lists for the comment scorers, written for this project.

Every list here was written by hand for code review text; none is copied from a third-party
lexicon. Entries are lowercase. Single words are matched on word boundaries; phrases may contain
spaces. ``*_PATTERNS`` tuples hold RE2 fragments (used for obfuscated spellings). Helpers at the
bottom turn a list into one alternation regex.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# --- politeness strategies (docs/methodology.md, "Considerate comments") ----------------------

GRATITUDE = ("thanks", "thank you", "thank u", "thx", "thanx", "tnx", "ty", "appreciate", "appreciated",
             "appreciate it", "grateful", "kudos", "cheers", "much obliged")
DEFERENCE_STARTS = ("great", "good", "nice", "interesting", "cool", "excellent", "awesome", "neat",
                    "lovely", "love", "brilliant", "perfect", "wonderful", "impressive", "clever", "elegant")
INDIRECT = ("by the way", "btw", "incidentally", "fwiw", "for what it's worth", "side note", "as an aside")
COUNTERFACTUAL = ("could you", "would you", "could we", "would it", "would it be", "could it",
                  "would you mind",
                  "do you mind", "can you", "can we", "might want to", "may want to", "how about",
                  "what about")
GREETINGS = ("hi", "hello", "hey", "morning", "good morning", "greetings", "howdy")
APOLOGY = ("sorry", "oops", "apologies", "apologize", "apologise", "excuse me", "my bad", "pardon",
           "my mistake",
           "forgive me")
HEDGES = ("i think", "i guess", "i believe", "i suppose", "i feel", "i wonder", "maybe", "perhaps", "might",
          "possibly", "probably", "seems", "seem", "seemingly", "suggest", "suggestion", "in my opinion",
          "imo",
          "imho", "it appears", "appears to", "not sure", "unsure", "i'm not sure", "likely", "somewhat",
          "kind of", "sort of", "could be", "consider", "what do you think", "wdyt", "afaik", "afaict",
          "if i understand", "iiuc", "unless i'm", "unless i am", "tend to", "presumably", "arguably")
POSITIVE_WORDS = ("good", "great", "nice", "clean", "cleaner", "clear", "clearer", "neat", "elegant",
                  "helpful",
                  "useful", "awesome", "excellent", "perfect", "love", "like", "better", "best", "well",
                  "happy",
                  "glad", "agree", "agreed", "correct", "right", "fine", "works", "working", "solid",
                  "simple",
                  "simpler", "readable", "improvement", "improves", "improved", "thanks", "thank",
                  "appreciate",
                  "cool", "brilliant", "smart", "clever", "fantastic", "wonderful", "impressive", "kind",
                  "valuable", "welcome", "congrats", "congratulations", "bravo", "yay", "sweet", "tidy",
                  "straightforward", "robust", "efficient", "fast", "faster", "safe", "safer")
FIRST_PLURAL = ("we", "our", "ours", "us", "let's", "lets")
# General negative evaluation of an object, *after* SE neutralisation (failure/crash/bug words are not here).
NEGATIVE_WORDS = ("bad", "worse", "worst", "wrong", "ugly", "awful", "terrible", "horrible", "horrendous",
                  "poor",
                  "poorly", "mess", "messy", "messed", "confusing", "confused", "unclear", "weird", "odd",
                  "strange",
                  "hacky", "gross", "nasty", "sloppy", "lazy", "careless", "pointless", "useless",
                  "worthless",
                  "meaningless", "nonsense", "nonsensical", "silly", "ridiculous", "absurd", "insane",
                  "crazy",
                  "annoying", "annoyed", "painful", "hate", "hated", "hates", "dislike", "disgusting",
                  "dreadful",
                  "unacceptable", "unreadable", "overkill", "bloated", "convoluted", "redundant", "broken",
                  "incorrect", "bogus", "lame", "sucks", "suck", "sucky", "sad", "unfortunate",
                  "unfortunately",
                  "disappointing", "disappointed", "irritating", "frustrating", "frustrated", "stupid",
                  "dumb",
                  "pathetic", "garbage", "crap", "crappy", "rubbish", "junk", "trash", "embarrassing",
                  "shameful",
                  "fragile", "brittle", "obscure", "ugh", "argh", "meh", "yuck", "eww", "ew", "blah")
# Strong evaluative words that mark an aggressive/rude tone even without profanity.
HARSH_WORDS = ("ugly", "awful", "terrible", "horrible", "horrendous", "hate", "hated", "hates", "disgusting",
               "gross", "nasty", "pathetic", "useless", "worthless", "pointless", "stupid", "dumb", "lame",
               "ridiculous", "absurd", "insane", "crazy", "nonsense", "garbage", "rubbish", "trash", "crap",
               "crappy", "sucks", "suck", "sucky", "sucked", "sucking", "moronic", "idiotic", "retarded",
               "lousy",
               "shitty", "dreadful", "atrocious", "abysmal", "hideous", "horrid", "stinks", "stinky", "silly",
               "smelly", "yuck", "ugh", "argh", "aargh", "grr", "grrr", "dammit", "damnit", "doh", "duh",
               "facepalm", "boneheaded", "braindead", "brain-dead", "brain dead", "idiocy", "stupidity",
               "screwed", "screw", "screwing", "screwup", "screw-up", "sloppy", "lazy", "mess", "messy",
               "bullshit",
               "hell", "heck", "damn", "damned", "darn", "dang", "bloody", "freaking", "frigging", "effing",
               "wtf", "wth", "ffs", "omg", "omfg", "jeez", "geez", "sheesh", "bs", "pfff", "pff", "meh",
               "eww",
               "blah", "yikes", "wow", "weird", "shame", "shameful", "embarrassing", "annoying", "irritating",
               "shut up", "shutup", "hack job", "smartass", "smartypants", "smarty pants", "kill me",
               "death to",
               "die", "dies", "killing me", "nuts", "bonkers", "wacky", "kludge", "kludgy", "yucky", "boo",
               "fool", "foolish", "clown", "amateur", "amateurish",
               "noob", "n00b", "troll", "arrogant", "go away", "grow up", "rtfm", "are you kidding",
               "are you serious",
               "creep", "creepy", "pissed off", "do your homework", "git gud")

# --- insults, identity attacks, profanity (docs/methodology.md, "Harsh comments") -------------

INSULTS = ("idiot", "idiots", "idiotic", "moron", "morons", "moronic", "imbecile", "cretin", "dumbass",
           "dumbo",
           "dummy head", "jerk", "jerks", "loser", "losers", "stupid person", "dimwit", "nitwit", "halfwit",
           "numbskull", "numpty", "bonehead", "knucklehead",
           "buffoon", "twit", "prat", "tosser", "wanker", "douche", "douchebag", "scumbag", "incompetent",
           "clueless", "retard", "retarded", "lunatic", "smartass", "smart-ass", "know-it-all", "shut up",
           "stfu",
           "gtfo", "get lost", "piss off", "screw you", "go to hell", "you people", "lmgtfy", "dumbest",
           "stupidest", "brainless", "witless", "pea brain", "airhead", "peabrain")
IDENTITY_ATTACKS = ("faggot", "fag", "fags", "dyke", "tranny", "nigger", "nigga", "spic", "chink", "kike",
                    "wetback", "raghead", "towelhead", "gook", "paki", "shemale", "homo", "queer bait",
                    "go back to your country", "women can't code", "girls can't code", "like a girl",
                    "feminazi", "libtard", "cuck")
# Obfuscated / variant profanity as RE2 fragments (matched on lowercase text, inside word boundaries).
PROFANITY_PATTERNS = (
    r"f+[u\*@#%v0o]+c*k+(?:ing?|in|ed|er|ers|s|up|off|wit|tard|head)?",
    r"f[\*#@%\-_\.]{1,3}k(?:ing|ed|er|s)?",
    r"f[\*#@%]{2,4}(?:ing)?",
    r"fsck(?:ing)?",
    r"fcuk",
    r"phuck\w*",
    r"sh[i1!\*y]+t+(?:s|ty|tier|tiest|head|load|show|storm|hole)?",
    r"sh[\*#@%]t",
    r"bull ?sh[i1!\*]t",
    r"b[i1!\*]tch(?:es|ing|y)?",
    r"a[s\$\*]{2}(?:hole|holes|hat|wipe)",
    r"a[s\$]{2}",
    r"arse(?:hole)?",
    r"d[i1!]ck(?:head|s)?",
    r"c[u\*]nt",
    r"piss(?:ed|ing|y)?",
    r"bastards?",
    r"wank(?:er|ers|ing)?",
    r"bollocks",
    r"motherf\w*",
    r"goddamn\w*",
    r"god damn\w*",
    r"dam+n(?:ed|it)?",
    r"crap+(?:py|s)?",
    r"wtf+",
    r"omfg",
    r"stfu",
    r"gtfo",
    r"ffs",
    r"fml",
    r"jfc",
    r"sob",
    r"screw(?:ed)? (?:it|this|that|you|up)",
    r"bloody",
    r"bugger(?:ed)?",
    r"sod(?:ding)? off",
    r"suck(?:s|ed|ing)?",
)
# Words that look negative to a general lexicon but are neutral in software (docs/methodology.md, "Comment text").
# Each phrase is replaced by a neutral token before the negative/harsh lexicons run.
SE_NEUTRAL_PHRASES = (
    "garbage collection", "garbage collector", "garbage collected", "garbage collect", "garbage-collected",
    "dead code", "deadlock", "dead lock", "dead letter", "deadline", "dead store",
    "kill signal", "kill the process", "kill -9", "killed by", "kill it", "kills the", "sigkill",
    "oom killer",
    "abort", "aborted", "aborts", "dummy", "fatal", "panic", "panics", "crash", "crashes", "crashed",
    "error", "errors", "fail", "fails", "failed", "failing", "failure", "bug", "bugs", "hack", "hacks",
    "dump", "dumps", "dumped", "core dump", "junk data", "destroy", "destroyed", "destroys", "execute",
    "executes", "executed", "execution", "master", "slave", "blacklist", "whitelist", "trash", "deprecated",
    "ugly hack", "broken pipe", "zombie", "orphan", "orphaned", "killer", "poison", "poisoned", "nuke",
    "bad request", "bad gateway", "bad state", "bad input", "bad data", "worst case", "worst-case",
    "fuzz", "fuzzing", "suck in", "sucks in", "pull in", "dirty", "dirty bit", "stale", "starve",
    "starvation",
    "hang", "hangs", "hung", "race", "race condition", "leak", "leaks", "leaked",
)
MINIMISERS = ("obviously", "clearly", "simply", "just", "trivially", "of course", "everyone knows",
              "everybody knows", "as anyone knows", "trivial", "it's easy", "it is easy", "easy enough",
              "basic", "simple enough", "needless to say", "surely")
FACTUALITY = ("in fact", "the truth is", "the point is", "the reality is", "really", "actually", "honestly",
              "surely", "literally", "seriously", "frankly", "definitely", "certainly", "absolutely")
RATIONALE = ("because", "since", "so that", "the reason", "in order to", "otherwise", "due to", "as per",
             "per the", "according to", "this way", "that way", "to avoid", "to prevent", "to make sure",
             "to ensure", "which means", "this means", "that means", "as a result", "the problem is",
             "the issue is", "e.g.", "for example", "for instance", "i.e.", "see URL", "see REF",
             "as described",
             "as mentioned", "as discussed", "would cause", "will cause", "could cause", "leads to",
             "results in")
# Exclamations of exasperation ("argh", "ugh") and mocking interjections.
EXASPERATION = ("argh", "aargh", "ugh", "ughh", "grr", "grrr", "sigh", "meh", "doh", "d'oh", "duh", "eh",
                "huh",
                "pfff", "pff", "bah", "yikes", "jeez", "geez", "sheesh", "seriously", "come on", "omg", "lol",
                "lmao", "rofl", "haha", "hahaha", "mwahaha", "facepalm", "/me", "*sigh*", "really?", "wow")
# Words that mark a request or a concrete change to make (usefulness).
CHANGE_REQUEST = ("should", "shouldn't", "must", "need", "needs", "needed", "missing", "instead", "rather",
                  "remove", "rename", "move", "add", "use", "replace", "change", "drop", "fix", "update",
                  "avoid", "handle", "check", "split", "extract", "refactor", "don't", "do not", "please",
                  "delete", "revert", "document", "test", "tests", "assert", "raise", "return", "call",
                  "pass",
                  "wrong", "incorrect", "broken", "bug", "break", "breaks", "fail", "fails", "race", "leak",
                  "typo", "indent", "indentation", "spelling", "whitespace", "line", "here", "below", "above")
# Low-content replies and acknowledgements (usefulness).
ACKNOWLEDGEMENTS = ("done", "ack", "ok", "okay", "fixed", "agreed", "sure", "yes", "no", "yep", "nope",
                    "right",
                    "lgtm", "+1", "fine",
                    "noted", "will do", "good point", "makes sense", "thanks", "thank you", "nice", "cool",
                    "great", "x", "nix", "heh", "hmm", "ah", "oh", "ya", "yeah", "got it", "understood")
ACRONYMS = ("api", "url", "uri", "http", "https", "json", "yaml", "xml", "html", "css", "sql", "cpu", "gpu",
            "ram",
            "todo", "fixme", "xxx", "lgtm", "nit", "ptal", "wip", "rfc", "ci", "cd", "pr", "mr", "cl", "id",
            "ids",
            "uuid", "utc", "iso", "tls", "ssl", "ssh", "dns", "tcp", "udp", "ip", "os", "vm", "vms", "io",
            "rpc",
            "grpc", "rest", "crud", "orm", "dto", "ui", "ux", "cli", "sdk", "ide", "jvm", "npm", "pip",
            "aws", "gcp",
            "iam", "acl", "rbac", "db", "ddl", "dml", "utf", "ascii", "png", "svg", "pdf", "csv", "tsv",
            "env",
            "dev", "qa", "sla", "slo", "etc", "faq", "nfs", "usb", "pci", "sriov", "numa", "vcpu", "kvm",
            "qemu",
            "abi", "asan", "tsan", "gcc", "llvm", "jit", "gc", "oom", "tbd", "afaik", "imo", "imho", "fyi",
            "iirc",
            "fwiw", "note", "must", "should", "may", "ref",
            "mention", "emoji", "emojipos", "emojineg")

# --- emoji (docs/methodology.md, "Harsh comments": small contempt list; ambiguous faces stay neutral) ---

POSITIVE_EMOJI = ("\U0001F64F", "\U0001F389", "\U0001F44D", "\u2764", "\U0001F60A", "\U0001F642",
                  "\U0001F600",
                  "\U0001F603", "\U0001F604", "\U0001F601", "\U0001F60D", "\U0001F970", "\U0001F44F",
                  "\U0001F680",
                  "\U0001F4AF", "\u2705", "\u2728", "\U0001F31F", "\u2B50", "\U0001F49A", "\U0001F499",
                  "\U0001F917", "\U0001F60E", "\U0001F973")
NEGATIVE_EMOJI = ("\U0001F644", "\U0001F926", "\U0001F621", "\U0001F92C", "\U0001F44E", "\U0001F4A9",
                  "\U0001F620", "\U0001F612", "\U0001F624", "\U0001F922", "\U0001F92E", "\U0001F595")
POSITIVE_SHORTCODES = ("+1", "thumbsup", "tada", "heart", "smile", "slightly_smiling_face", "pray", "clap",
                       "rocket", "100", "sparkles", "star", "white_check_mark", "heavy_check_mark", "blush",
                       "grinning", "smiley", "hugs", "partying_face", "raised_hands")
NEGATIVE_SHORTCODES = ("facepalm", "man_facepalming", "woman_facepalming", "person_facepalming", "roll_eyes",
                       "face_with_rolling_eyes", "rage", "angry", "-1", "thumbsdown", "poop", "hankey",
                       "unamused",
                       "triumph", "nauseated_face", "face_vomiting", "middle_finger", "cursing_face")
POSITIVE_EMOTICONS = (":)", ":-)", ":D", ":-D", ";)", ";-)", "=)", "^^", "^_^", "<3", ":]", "(:")
NEGATIVE_EMOTICONS = (":(", ":-(", ">:(", ":/", ":-/", "-_-", "-.-", ":@", "D:")

# --- Conventional Comments (conventionalcomments.org) ----------------------------------------

CC_LABELS = ("praise", "nitpick", "nit", "suggestion", "issue", "todo", "question", "thought", "chore",
             "note",
             "typo", "polish", "quibble")
# Maps a detected label to the comment_type vocabulary of the scorer.
CC_LABEL_TYPE = {"praise": "praise", "nitpick": "nit", "nit": "nit", "typo": "nit", "polish": "nit",
                 "quibble": "nit", "suggestion": "suggestion", "issue": "issue", "todo": "chore",
                 "question": "question", "thought": "thought", "chore": "chore", "note": "note"}
NIT_PREFIXES = ("nit", "nits", "nitpick", "nit-pick", "minor", "typo", "style", "super nit", "tiny nit",
                "small nit",
                "optional", "trivial", "cosmetic", "pedantic")

ENGLISH_STOPWORDS = ("a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and",
                     "any",
                     "are", "as", "at", "be", "because", "been", "before", "being", "below", "between",
                     "both",
                     "but", "by", "can", "could", "did", "do", "does", "doing", "don't", "down", "during",
                     "each",
                     "else", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her",
                     "here",
                     "hers", "him", "his", "how", "i", "if", "in", "into", "is", "isn't", "it", "it's", "its",
                     "itself", "just", "let", "like", "may", "maybe", "me", "might", "more", "most", "must",
                     "my",
                     "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other",
                     "our",
                     "out", "over", "own", "please", "same", "she", "should", "so", "some", "such", "than",
                     "that",
                     "the", "their", "them", "then", "there", "these", "they", "this", "those", "through",
                     "to",
                     "too", "under", "until", "up", "us", "use", "very", "was", "we", "were", "what", "when",
                     "where", "which", "while", "who", "why", "will", "with", "would", "yes", "you", "your",
                     "we're", "i'm", "i'd", "you're", "there's", "that's", "should", "need", "think", "see",
                     "make", "get", "instead", "still", "already", "thanks", "ok", "done", "good", "nit",
                     "fix",
                     "any", "way", "better", "change", "case", "test", "here")

# --- helpers ---------------------------------------------------------------------------------


def words_alternation(words: Iterable[str]) -> str:
    """One non-capturing RE2 alternation of literal words/phrases, longest first, on word boundaries.

    Entries that start and end with a word character use ``\\b``; the few that do not ("+1",
    "/me", "e.g.") get explicit whitespace/punctuation boundaries instead.
    """
    parts = sorted({w.lower() for w in words}, key=len, reverse=True)
    wordy = [_phrase_regex(p) for p in parts if _WORD_EDGES.match(p)]
    other = [_phrase_regex(p) for p in parts if not _WORD_EDGES.match(p)]
    alternatives = []
    if wordy:
        # A trailing hyphen means a compound ("idiot-proof", "dead-simple"), not the word itself.
        alternatives.append(r"\b(?:" + "|".join(wordy) + r")(?:$|[^\w\-])")
    if other:
        alternatives.append(r"(?:^|[\s(\[\"])(?:" + "|".join(other) + r")(?:$|[\s,;:!?)\]\"])")
    return "(?:" + "|".join(alternatives) + ")"


_WORD_EDGES = re.compile(r"^\w.*\w$|^\w$")


def patterns_alternation(fragments: Iterable[str]) -> str:
    """Alternation of regex fragments, each bounded like a word."""
    return r"(?:^|[^a-z0-9_])(?:" + "|".join(fragments) + r")(?:$|[^a-z0-9_])"


def _phrase_regex(phrase: str) -> str:
    # Flexible whitespace inside phrases; apostrophes may be straight or curly.
    tokens = [re.escape(t).replace("'", "['\u2019]") for t in phrase.split()]
    return r"\s+".join(tokens)


# Phrases that aim criticism at the author rather than the code (docs/methodology.md, "Harsh comments"; Google's guide).
BLAME_PHRASES = ("did you even", "do you even", "have you even", "you forgot", "you didn't", "you did not",
                 "you never", "you always", "you obviously", "you clearly", "you should have",
                 "you should've",
                 "you broke", "you ignored", "you missed", "why would you", "why did you", "how could you",
                 "what were you thinking", "you don't understand", "you do not understand",
                 "you have no idea",
                 "you're wrong", "you are wrong", "your fault", "you keep", "you still", "you again",
                 "you don't know", "you do not know", "you don't get", "are you kidding", "are you serious",
                 "are you sure you", "learn to", "learn how to", "you can't even", "you cannot even")
DIRECT_QUESTION_WORDS = ("what", "why", "who", "how")
SECOND_PERSON = ("you", "your", "yours", "you're", "you've", "you'd", "you'll", "yourself", "u", "ur")
FIRST_SINGULAR = ("i", "me", "my", "mine", "myself", "i'm", "i've", "i'd", "i'll")
DIRECT_STARTS = ("so", "then", "and", "but", "or")

# --- usefulness cues (docs/methodology.md, "Comments that led to a change") -------------------

# Comments that defer the point elsewhere ("in a follow-up") rarely lead to a change in this one.
DEFERRAL = ("another patch", "another change", "another pr", "separate patch", "separate change",
            "separate pr",
            "follow up", "follow-up", "followup", "fup", "future", "later", "out of scope",
            "not in this change",
            "not for this change", "for another", "in a separate", "subsequent patch", "next patch")
NON_BLOCKING = ("just a nit", "not a big deal", "no big deal", "not blocking", "non-blocking",
                "feel free to ignore",
                "up to you", "your call", "doesn't matter", "does not matter", "fine either way", "no need",
                "not necessary", "ignore this", "never mind", "nevermind", "nvm", "can be ignored",
                "not important",
                "not worth", "no strong opinion", "don't care", "either way", "works fine", "this is fine",
                "that's fine", "it's fine", "looks fine", "looks good", "lgtm", "nothing to do", "no action")
THINKING_ALOUD = ("note to self", "thinking out loud", "just curious", "out of curiosity", "i'm surprised",
                  "i was wondering", "for the record", "fyi", "for my own understanding",
                  "for my understanding",
                  "i see", "makes sense", "ok so", "okay so", "i guess", "i agree", "agreed", "good point",
                  "fair enough", "you're right", "you are right", "i see now", "got it", "interesting",
                  "just noting", "side note", "random thought", "as an aside")
# Sentence-initial verbs of a concrete request ("Remove this", "Rename to ...").
IMPERATIVE_VERBS = ("remove", "rename", "add", "use", "move", "drop", "fix", "change", "replace", "delete",
                    "update", "make", "put", "split", "extract", "avoid", "check", "handle", "return",
                    "raise",
                    "log", "document", "test", "revert", "consider", "switch", "pass", "call", "define",
                    "keep",
                    "mention", "explain", "reword", "indent", "wrap", "simplify", "merge", "squash", "rebase",
                    "don't", "do not", "please", "let's", "should", "shouldn't", "must", "need", "needs")
OBLIGATION = ("should", "shouldn't", "should not", "must", "need to", "needs to", "has to", "have to",
              "ought to",
              "is required", "are required", "required", "missing", "instead of", "rather than", "why not",
              "can we", "could we", "do we need", "don't we", "is this needed", "is this necessary",
              "shouldn't this", "should this", "wouldn't it", "wrong", "incorrect", "typo", "s/")
# Pointers back to an earlier request ("ditto"): short, but they ask for the same change again.
REPEAT_REQUEST = ("ditto", "same", "same here", "same as above", "as above", "see above", "same below",
                  "here too", "here as well", "and here", "also here", "same thing", "likewise", "and this",
                  "and below", "same issue", "same comment", "same nit", "again")
# General programming vocabulary: a comment that talks about code elements is more often acted on.
TECH_TERMS = ("function", "functions", "method", "methods", "variable", "variables", "parameter",
              "parameters",
              "param", "params", "argument", "arguments", "arg", "args", "kwarg", "kwargs", "class",
              "classes",
              "module", "modules", "package", "test", "tests", "unit test", "functional test", "exception",
              "exceptions", "return", "returns", "value", "values", "default", "type", "types", "config",
              "configuration", "option", "options", "api", "call", "calls", "called", "object", "objects",
              "list",
              "dict", "string", "str", "int", "integer", "bool", "boolean", "null", "none", "log", "logging",
              "docstring", "comment", "import", "field", "attribute", "property", "constant", "loop",
              "condition",
              "conditional", "branch", "query", "database", "db", "schema", "migration", "request",
              "response",
              "version", "microversion", "endpoint", "header", "payload", "mock", "fixture", "assert",
              "assertion",
              "raise", "raises", "catch", "handler", "callback", "thread", "lock", "timeout", "retry",
              "cache",
              "index", "key", "keys", "file", "path", "line", "lines", "indentation", "whitespace", "typo",
              "spelling", "grammar", "wording", "doc", "docs", "documentation", "release note", "reno",
              "link",
              "format", "formatting", "name", "naming", "rename", "signature", "interface", "instance",
              "instances",
              "server", "client", "host", "service", "driver", "plugin", "flag", "check", "validation",
              "validate", "error", "errors", "message", "messages", "warning", "deprecation", "backport")

# --- incivility in discussions (the kinds Ehsani et al. 2024 code: impatience, bitter frustration,
# mocking/irony, entitlement, threats); written from those category names, not from any dataset's rows ---

IMPATIENCE = ("any update", "any updates", "any news", "any progress", "still not", "still no", "still broken",
              "still waiting", "still doesn't", "still does not", "still isn't", "still happening", "how long",
              "when will", "it's been", "it has been", "for months", "for years", "for weeks", "months later",
              "years later", "over and over", "for the last time", "once again", "yet again", "bump", "hello?",
              "anyone?", "asap", "right now", "immediately", "how many times", "as i said", "as i already said",
              "i already said", "i told you", "again?")
FRUSTRATION = ("frustrating", "frustrated", "frustration", "waste of time", "wasting my time", "wasted my time",
               "give up", "gave up", "giving up", "sick of", "tired of", "fed up", "no one cares", "nobody cares",
               "don't care", "doesn't care", "not my problem", "unacceptable", "a joke", "what a joke",
               "embarrassing", "shame on", "disappointed", "disappointing", "enough is enough", "fed up with",
               "i'm done", "i am done", "done with this", "this is insane", "this is ridiculous", "no excuse",
               "beyond me", "mind-boggling", "mind boggling", "baffling", "baffled")
MOCKING = ("yeah right", "oh great", "oh really", "thanks for nothing", "good luck with that", "genius",
           "so-called", "/s", "slow clap", "are you kidding", "are you serious", "you must be joking",
           "kidding me", "what a surprise", "surprise surprise", "big surprise", "how convenient", "cute",
           "nice try", "lol", "lmao", "rofl", "roflmao", "haha", "hahaha", "clown", "circus", "bravo")
ENTITLEMENT = ("i demand", "i expect", "we expect", "we pay", "paying customer", "paying customers", "i paid",
               "we paid", "just fix", "fix it already", "fix this already", "make it work", "you owe",
               "your job", "do your job", "you guys need", "you people", "you need to fix", "you have to fix",
               "you must fix")
THREATS = ("switch to", "switching to", "moving to", "i will stop", "i'll stop", "stop using", "stopped using",
           "uninstall", "uninstalled", "last chance", "or else", "report you", "you will regret", "boycott")
RHETORICAL = ("why would", "why would anyone", "how hard is it", "how hard can it be", "how difficult is it",
              "what's the point", "what is the point", "is it really", "who thought", "who decided",
              "who in their right mind", "why on earth", "why the hell", "what the hell", "why is it so hard",
              "how is this", "how is that", "does anyone", "doesn't anyone", "can't you", "can you not",
              "is that so hard", "is it so hard", "what's wrong with", "what is wrong with")

# Words a general valence lexicon rates negative that name software states and events, not a judgement
# ("the test failed", "kill the process", "fatal error", "a dead lock", "blocking call"): their valence is
# set to 0 (docs/methodology.md, "Comment text"; like SE_NEUTRAL_PHRASES above).
SE_NEUTRAL_WORDS = ("kill", "killed", "kills", "killing", "fail", "failed", "fails", "failing", "failure",
                    "failures", "error", "errors", "dead", "problem", "problems", "crash", "crashed", "crashes",
                    "attack", "attacks", "exploit", "vulnerable", "vulnerability", "warning", "warnings", "warn",
                    "block", "blocked", "blocking", "reject", "rejected", "leak", "leaks", "panic", "fatal",
                    "critical", "destroy", "destroyed", "ignore", "ignored", "ignores", "lost", "lose", "loses",
                    "loss", "miss", "missing", "missed", "risk", "risky", "drop", "dropped", "dump", "trap",
                    "violation", "violate", "violates", "limited", "fake", "mock", "dirty", "stop", "stopped",
                    "conflict", "conflicts", "deny", "denied", "forbidden", "illegal", "invalid", "threat",
                    "threats", "severe", "harm", "damage", "damaged", "corrupt", "corrupted", "weak", "no",
                    "abort", "aborted", "bug", "bugs", "issue", "issues", "debt", "worst-case", "hang", "hangs")
