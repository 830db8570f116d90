"""A document's language when the page does not declare one (told from its script), and the
writing direction of a language tag (for `dir` in the web UI)."""

from __future__ import annotations

# Primary subtags written right to left (BCP 47; script subtags are checked too).
RTL_LANGUAGES = frozenset({"ar", "fa", "ur", "ps", "he", "iw", "yi", "dv", "ckb", "sd", "ug", "syr", "prs", "arz"})
RTL_SCRIPTS = frozenset({"arab", "hebr", "syrc", "thaa", "nkoo", "adlm"})

_PERSIAN_LETTERS = set("پچژگکی")  # Persian, not Arabic, letters
_URDU_LETTERS = set("ٹڈڑںھےۓ")
_UKRAINIAN_LETTERS = set("іїєґІЇЄҐ")
_BELARUSIAN_LETTERS = set("ўЎ")
_KAZAKH_LETTERS = set("әғқңөұүһӘҒҚҢӨҰҮҺ")


def _script(char: str) -> str | None:
    code = ord(char)
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if 0x0600 <= code <= 0x06FF or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x10A0 <= code <= 0x10FF or 0x1C90 <= code <= 0x1CBF:
        return "georgian"
    if 0x0530 <= code <= 0x058F:
        return "armenian"
    if 0x0590 <= code <= 0x05FF:
        return "hebrew"
    if char.isascii() and char.isalpha():
        return "latin"
    return None


def detect_language(text: str | None, *, sample: int = 4000) -> str | None:
    """The language of `text` told from its letters: a guess only where the script decides
    (Georgian, Armenian, Hebrew; Persian/Urdu/Arabic and Russian/Ukrainian/Belarusian/Kazakh by
    their own letters). Latin text is not guessed (None): too many languages share it."""
    counts: dict[str, int] = {}
    letters = [c for c in (text or "")[:sample] if c.isalpha()]
    for char in letters:
        script = _script(char)
        if script:
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None
    script, count = max(counts.items(), key=lambda item: item[1])
    if count * 2 < len(letters) or script == "latin":
        return None
    seen = set(letters)
    if script == "arabic":
        return "ur" if seen & _URDU_LETTERS else "fa" if seen & _PERSIAN_LETTERS else "ar"
    if script == "cyrillic":
        if seen & _KAZAKH_LETTERS:
            return "kk"
        return "uk" if seen & _UKRAINIAN_LETTERS else "be" if seen & _BELARUSIAN_LETTERS else "ru"
    return {"georgian": "ka", "armenian": "hy", "hebrew": "he"}[script]


def direction(language: str | None) -> str:
    """'rtl' for a right-to-left language tag ('fa', 'fa-IR', 'ku-Arab', 'he'), else 'ltr'."""
    parts = (language or "").strip().lower().replace("_", "-").split("-")
    if parts[0] in RTL_LANGUAGES:
        return "rtl"
    return "rtl" if any(part in RTL_SCRIPTS for part in parts[1:]) else "ltr"
