"""The story text functions give the keys stored rows hold: `names` against the plain
implementation it replaced (one regex match per capitalised token, Python deciding each), in
every script the services publish in, and the key and band hashes pinned to their values."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import numpy as np
import pytest

from archive.stories.signature import band_keys, keys
from archive.stories.text import _NAME_STRIP, _NOT_NAMES, QUOTE_MARKS, _ranges, _upper_class, names

# -- the reference: the names() that signatures were stored with before ---------------------
_REF_SENTENCE_END = re.compile("[.!?\u2026][" + re.escape(QUOTE_MARKS) + ")]*$")
_REF_RUN_END = re.compile("[.!?,;:\u2026][" + re.escape(QUOTE_MARKS) + ")]*$")
_REF_CAPITALISED = re.compile("\\s+([" + re.escape(_NAME_STRIP) + "]*["
                              + _ranges([chr(c) for c in range(0x20000) if chr(c).isupper()]) + "]\\S*)")


def reference_names(text: str, limit: int | None = None) -> list[str]:
    found: list[str] = []
    for paragraph in unicodedata.normalize("NFKC", text or "").split("\n"):
        run: list[str] = []
        run_opens_sentence = False
        end, previous = -1, ""
        paragraph = " " + paragraph
        for match in _REF_CAPITALISED.finditer(paragraph):
            token, start = match.group(1), match.start()
            if run and start != end:
                if len(run) >= 2 or not run_opens_sentence:
                    found.append(" ".join(run))
                run = []
            word = token.strip(_NAME_STRIP).casefold()
            if word not in _NOT_NAMES:
                if not run:
                    run_opens_sentence = (start == 0 or token[0] in QUOTE_MARKS or bool(
                        _REF_SENTENCE_END.search(previous) if start == end else
                        _REF_SENTENCE_END.search(paragraph, max(0, start - 200), start)))
                run.append(word)
            if run and (word in _NOT_NAMES or _REF_RUN_END.search(token)):
                if len(run) >= 2 or not run_opens_sentence:
                    found.append(" ".join(run))
                run = []
            end, previous = match.end(), token
        if run and (len(run) >= 2 or not run_opens_sentence):
            found.append(" ".join(run))
    return list(dict.fromkeys(found))[:limit]


TRICKY = [
    # Cyrillic, with guillemets and an em dash
    "Глава МИД России Сергей Лавров заявил: «Москва не будет отвечать». Позже Кремль — Дмитрий Песков —"
    " добавил.\n\nВ Санкт-Петербурге прошёл митинг.",
    # Georgian: Mkhedruli has no case, Mtavruli capitals do
    "თბილისში შეხვედრა გაიმართა. ᲡᲐᲥᲐᲠᲗᲕᲔᲚᲝ და ᲗᲑᲘᲚᲘᲡᲘ ერთად. ირაკლი კობახიძე said Tbilisi Mayor Kakha Kaladze.",
    # Persian (no case), zero-width non-joiner, a Latin name inside
    "وزیر خارجه\u200cی ایران گفت «ما آماده\u200cایم». Abbas Araghchi در تهران سخن گفت.",
    # curly and straight quotes, apostrophes, parentheses, a quotation opening a paragraph
    "\u201cWe will not leave,\u201d said Maria Lopez of the Red Cross. 'Anna' met (Kovar Dulem) in "
    "Kyiv.\n\u201cPolice came,\u201d said the U.N. Security Council\u2019s envoy. The Mayor spoke.\u201d New York.",
    # titlecase and astral capitals, compatibility forms NFKC folds, non-breaking spaces
    "\u01c5emal Bijedi\u0107 met \U00010400\U00010428 in \U0001d400\U0001d401 City.\u00a0Ms.\u00a0Rivera "
    "and \u2160\u2161 came.\u2003Then \u0130stanbul\u2019s Governor spoke.",
    # Armenian, Greek, German sharp s, run-ending punctuation mid-run
    "Երևանում Նիկոլ Փաշինյան said. ΣΑΣ Αθήνα; Straße München: Olaf Scholz, Berlin! Who? Anna… Bob",
]


@pytest.mark.parametrize("text", TRICKY)
def test_names_give_the_keys_of_the_reference_in_every_script(text):
    for limit in (None, 40, 2):
        assert names(text, limit=limit) == reference_names(text, limit=limit)


def test_names_give_the_keys_of_the_reference_on_random_mixtures():
    pieces = ["Anna", "Kovar", "the", "The", "of", "U.S.", "Mr.", "said.", "said,", "(Anna)", "\u201cPolice",
              "came,\u201d", "Новый", "Год", "Москва.", "ᲡᲐᲥ", "Թիֆլիս", "تهران", "Tehran\u2019s", "'Quote'", "end.)",
              'end."', "\u2014", "-", "\u2026", "\u00c9lys\u00e9e", "\u01c5emal", "\U00010400ddd", "\U0001d400bc", "x",
              "May", "I", "\u216b", ":", ".", '"', "(", ")", "\u0130stanbul", "\u00df", "ΣΑΣ"]
    separators = [" ", " ", " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2009", "\r\n", "\u3000", ""]
    rng = random.Random(12)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) + rng.choice(separators) for _ in range(rng.randint(1, 25)))
        for limit in (None, 3):
            assert names(text, limit=limit) == reference_names(text, limit=limit), text


def test_the_upper_case_class_is_str_isupper():
    upper = re.compile(_upper_class())
    wrong = [hex(c) for c in range(sys.maxunicode + 1) if bool(upper.fullmatch(chr(c))) != chr(c).isupper()]
    assert wrong == []


def test_term_and_band_keys_are_the_stored_values():
    """Stored story_terms and story_bands rows hold these values: a faster hash must give them."""
    assert keys("name", ["kovar dulem", "тбилиси"]) == [6689406686192404968, 7918677183920588179]
    assert keys("quote", ["we will not leave the city until the water is gone"]) == [1084276380879848116]
    minhash = np.arange(64, dtype=np.uint64) * 2654435761 % 2**32
    assert band_keys(minhash)[:3] == [-6380765353176465326, -952542798907337747, -4260469946138354276]
