"""The story text functions give the keys stored rows hold: `names`, `words` and `quotations`
against the implementations they replaced (`names`: one regex match per capitalised token, Python
deciding each; words: one regex), in every script the services publish in, and the key and band
hashes pinned to their values."""

from __future__ import annotations

import random
import re
import sys
import unicodedata

import numpy as np
import pytest

from archive.stories.signature import band_keys, keys
from archive.stories.text import (_NAME_STRIP, _NOT_NAMES, _QUOTED, DASHES, QUOTE_MARKS, _ranges, _upper_class,
                                  encoded_words_and_quotations, names, quotations, words, words_and_quotations)

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


def test_names_found_from_the_first_token_match_the_reference_on_marks_and_astral_characters():
    """`names` finds runs from their first token's character (one class scanned in C) and looks
    back for the end of a sentence in Python: marks before and after sentence ends, tokens
    opening with marks, astral letters of either case and astral characters of none."""
    pieces = ["Anna", "Bob", "the", "said.", "said", ".", "!", "?", "\u2026", "\u201d", "\u201c", '"', "'", ")", "(",
              "((Anna", "\u201cThe", "Rio.\u201d", "end.)\u201d", "\U00010400x", "\U00010428x", "\U0001f600",
              "\U00020000", "\U0001d400", "[Kyiv]", "Kyiv;", ",", "\u00ab\u00bb"]
    separators = [" ", "  ", "\n", "\n\n", "\t", "\u00a0", ""]
    rng = random.Random(13)
    for _ in range(4000):
        text = "".join(rng.choice(pieces) + rng.choice(separators) for _ in range(rng.randint(1, 20)))
        for limit in (None, 2):
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


# -- words and quoted passages: the regex implementation they replaced ----------------------
def _reference_folded(text: str) -> str:
    quotes, dashes = re.compile("[" + re.escape(QUOTE_MARKS) + "]"), re.compile("[" + DASHES + "]")
    return dashes.sub("-", quotes.sub("", unicodedata.normalize("NFKC", text or ""))).casefold()


def reference_words(text: str) -> list[str]:
    return re.findall(r"\w+(?:[-']\w+)*", _reference_folded(text))


def reference_quotations(text: str, min_words: int) -> list[str]:
    out = []
    for passage in _QUOTED.findall(unicodedata.normalize("NFKC", text or "")):
        tokens = reference_words(passage)
        if len(tokens) >= min_words:
            out.append(" ".join(tokens))
    return list(dict.fromkeys(out))


WORDY = TRICKY + [
    "it\u2019s well\u2014known: a--b -c d- e-f-g _x_ 1-2 \u0661\u0662\u0663 \u062d\u0636\u0648\u0631\u200c\u0647\u0627 "
    "\U00010400\U00010428x \U0001d400b \u00df-\ufb01 a\u2019-b a-\u2019b \ud800 \0",
    "\u201cA quoted statement of more than eight words, with it\u2019s and \u2014 dashes,\u201d he said. "
    "\u00abUn autre passage cit\u00e9 ici, assez long pour compter\u00bb et \u300c\u6771\u4eac\u3067\u8a71\u3059"
    "\u4eba\u305f\u3061\u306e\u8a00\u8449\u304c\u3053\u3053\u306b\u3042\u308b\u300d. \"-edge hyphen- quoted words "
    "here to count as one\"",
    "", "-", "a-", "-a", "x",
    # ASCII only (the str path's bytes.translate): hyphens that join and that do not, every
    # punctuation mark, control characters, upper case
    "Well-Known a--b -c d- e-f-g- --h i--- _x_ __ 1-2 3 - 4 A.B,C;D:E!F?G(H)I[J]K{L}M/N\\O|P@Q#R$S%T^U&V*W+X=Y~Z`"
    "a'b \"c\" \t\n\r\x0b\x0c \0\x01\x1f\x7f end-",
    "-start --- -- - x-y--z",
]


@pytest.fixture(params=["str", "numpy"])
def word_path(request, monkeypatch):
    """Each words test runs on both ways of splitting: str methods (short texts) and the
    numpy pass (long ones), by moving the length where one hands over to the other."""
    import archive.stories.text as text_module

    monkeypatch.setattr(text_module, "NUMPY_WORDS_FROM", 10**9 if request.param == "str" else 0)
    return request.param


@pytest.mark.parametrize("text", WORDY)
def test_words_and_quotations_are_those_of_the_regex_reference(text, word_path):
    assert words(text) == reference_words(text)
    for min_words in (2, 8):
        assert quotations(text, min_words) == reference_quotations(text, min_words)
        assert words_and_quotations(text, min_words) == (reference_words(text), reference_quotations(text, min_words))
        assert encoded_words_and_quotations(text, min_words) == (
            [w.encode("utf-8") for w in reference_words(text)], reference_quotations(text, min_words))


def test_words_and_quotations_are_those_of_the_regex_reference_on_random_mixtures(word_path):
    pieces = ["\u201c", "\u201d", '"', "\u00ab", "\u00bb", "\u300c", "\u300d", "\u201e", " ", "word",
              "\u0414\u0440\u0443\u0433", "it\u2019s", "\u2014", "-", "\n", "\u00df", "x y z", "\0", "-a", "b-", "'",
              "_", "\u2160", "\U00010400", "\ufb01", "\u200c", ".", ","]
    rng = random.Random(21)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 60)))
        assert words_and_quotations(text, 2) == (reference_words(text), reference_quotations(text, 2)), text
        assert encoded_words_and_quotations(text, 2)[0] == [w.encode("utf-8") for w in reference_words(text)], text


def test_words_of_ascii_text_are_those_of_the_regex_reference_on_random_mixtures(word_path):
    pieces = ["-", "--", " ", "a", "B", "_", "1", "'", '"', ".", "\n", "\t", "\0", "\x7f", "x-y", "\u2014", "\u201c",
              "\u2019"]  # the last three are gone (or "-") before the ASCII test
    rng = random.Random(22)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 40)))
        assert words_and_quotations(text, 2) == (reference_words(text), reference_quotations(text, 2)), text
        assert encoded_words_and_quotations(text, 2)[0] == [w.encode("utf-8") for w in reference_words(text)], text


@pytest.mark.parametrize("text", WORDY + [" ".join(WORDY) * 3, "Plain ASCII words, with-hyphens -- and more. " * 60])
def test_a_signature_hashes_the_words_it_always_hashed(text, word_path):
    """signature() hashes the words' bytes as it finds them; the MinHash is the one of
    shingle_hashes(words(text)) (what the stored signatures were made of)."""
    from archive.stories.signature import minhash_values, shingle_hashes, signature

    grams = shingle_hashes(reference_words(text))
    sig = signature(text)
    assert sig.shingles == len(grams)
    assert sig.minhash.tolist() == minhash_values(grams).astype(np.uint64).tolist()


def test_what_each_code_point_is_to_a_word_follows_the_regex_and_the_marks():
    from archive.stories.text import _DROPPED, _HYPHEN, _LETTER, _SEPARATOR, _bmp_kinds, _kinds

    def kind(code: int) -> int:
        char = chr(code)
        if char in QUOTE_MARKS:
            return _DROPPED
        if char == "-" or char in DASHES:
            return _HYPHEN
        return _LETTER if re.fullmatch(r"\w", char) else _SEPARATOR

    assert _bmp_kinds().tolist() == [kind(code) for code in range(0x10000)]
    astral = range(0x10000, sys.maxunicode + 1, 7)
    assert _kinds("".join(map(chr, astral))).tolist() == [kind(code) for code in astral]
