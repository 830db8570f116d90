"""Dates written out in words, for pages whose only date is what a reader sees: day, month
name and year in English, Russian, Persian (Solar Hijri or Gregorian month names, Persian or
Arabic-Indic digits), Georgian or Armenian, with an optional hh:mm ("UTC"/"GMT" or the
Persian "گرینویچ" after it mean UTC; otherwise the time is left without a zone).
"""

from __future__ import annotations

import re
from datetime import date

_DIGITS = str.maketrans({**{chr(0x06F0 + d): str(d) for d in range(10)}, **{chr(0x0660 + d): str(d) for d in range(10)}})

# month word -> (calendar, month); nominative and genitive forms where a language has both
_MONTH_WORDS: dict[str, tuple[str, int]] = {}
for _calendar, _names in (
    ("gregorian", "january february march april may june july august september october november december"),
    ("gregorian", "jan feb mar apr may jun jul aug sep oct nov dec"),
    ("gregorian", "январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь"),
    ("gregorian", "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"),
    ("gregorian", "ژانویه فوریه مارس آوریل مه ژوئن ژوئیه اوت سپتامبر اکتبر نوامبر دسامبر"),
    ("jalali", "فروردین اردیبهشت خرداد تیر مرداد شهریور مهر آبان آذر دی بهمن اسفند"),
    ("gregorian", "იანვარი თებერვალი მარტი აპრილი მაისი ივნისი ივლისი აგვისტო სექტემბერი ოქტომბერი ნოემბერი დეკემბერი"),
    ("gregorian", "იანვრის თებერვლის მარტის აპრილის მაისის ივნისის ივლისის აგვისტოს სექტემბრის ოქტომბრის ნოემბრის დეკემბრის"),
    ("gregorian", "հունվար փետրվար մարտ ապրիլ մայիս հունիս հուլիս օգոստոս սեպտեմբեր հոկտեմբեր նոյեմբեր դեկտեմբեր"),
    ("gregorian", "հունվարի փետրվարի մարտի ապրիլի մայիսի հունիսի հուլիսի օգոստոսի սեպտեմբերի հոկտեմբերի նոյեմբերի դեկտեմբերի"),
):
    for _month, _word in enumerate(_names.split(), 1):
        _MONTH_WORDS.setdefault(_word, (_calendar, _month))
_WORD = re.compile(r"[^\W\d_]+")
_NUMBER = re.compile(r"\d+")
_TIME = re.compile(r"(?<!\d)([01]?\d|2[0-3]):([0-5]\d)(?!\d)")
_UTC = re.compile(r"(?i)\b(utc|gmt)\b|گرینویچ")


def parse_text_date(text: str | None) -> str | None:
    """'2026-10-05T07:42:00Z', '2026-10-05T07:42:00' or '2026-10-05' from a written-out date
    ('۱۳ مهر ۱۴۰۵، ساعت ۰۷:۴۲ گرینویچ', '4 октября 2026', 'October 4, 2026'); None if it is not one."""
    if not text:
        return None
    text = text.translate(_DIGITS).replace("\u200c", "")
    found = next((_MONTH_WORDS[w.lower()] for w in _WORD.findall(text) if w.lower() in _MONTH_WORDS), None)
    if found is None:
        return None
    calendar, month = found
    clock = _TIME.search(text)
    numbers = [int(n) for n in _NUMBER.findall(_TIME.sub(" ", text))]
    years = [n for n in numbers if n >= 1000]
    days = [n for n in numbers if 1 <= n <= 31]
    if len(years) != 1 or not days:
        return None
    try:
        day = (jalali_to_gregorian(years[0], month, days[0]) if calendar == "jalali"
               else date(years[0], month, days[0]))
    except ValueError:
        return None
    if clock is None:
        return day.isoformat()
    stamp = f"{day.isoformat()}T{int(clock[1]):02d}:{clock[2]}:00"
    return stamp + "Z" if _UTC.search(text) else stamp


# Solar Hijri (Jalali) <-> Gregorian, the arithmetic of the jdf/jalaali algorithms: months
# 1-6 have 31 days, 7-11 have 30, Esfand 29 (30 in a leap year of the 33-year cycle).
def gregorian_to_jalali(day: date) -> tuple[int, int, int]:
    gy, gm, gd = day.year, day.month, day.day
    days_before = (0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
    gy2 = gy + 1 if gm > 2 else gy
    days = (355666 + 365 * gy + (gy2 + 3) // 4 - (gy2 + 99) // 100 + (gy2 + 399) // 400
            + gd + days_before[gm - 1])
    jy = -1595 + 33 * (days // 12053)
    days %= 12053
    jy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        jy += (days - 1) // 365
        days = (days - 1) % 365
    if days < 186:
        return jy, 1 + days // 31, 1 + days % 31
    return jy, 7 + (days - 186) // 30, 1 + (days - 186) % 30


def jalali_to_gregorian(jy: int, jm: int, jd: int) -> date:
    """The Gregorian date of a Solar Hijri one; ValueError if there is no such day."""
    if not (1 <= jm <= 12 and 1 <= jd <= (31 if jm <= 6 else 30)):
        raise ValueError(f"no Solar Hijri day {jy}-{jm}-{jd}")
    jy += 1595
    days = (-355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + jd
            + ((jm - 1) * 31 if jm < 7 else (jm - 7) * 30 + 186))
    if days < 0:
        raise ValueError(f"no Solar Hijri day {jy - 1595}-{jm}-{jd}")
    gy = 400 * (days // 146097)
    days %= 146097
    if days > 36524:
        days -= 1
        gy += 100 * (days // 36524)
        days %= 36524
        if days >= 365:
            days += 1
    gy += 4 * (days // 1461)
    days %= 1461
    if days > 365:
        gy += (days - 1) // 365
        days = (days - 1) % 365
    moment = date(gy, 1, 1).toordinal() + days
    found = date.fromordinal(moment)
    if gregorian_to_jalali(found) != (jy - 1595, jm, jd):  # Esfand 30 of a common year
        raise ValueError(f"no Solar Hijri day {jy - 1595}-{jm}-{jd}")
    return found
