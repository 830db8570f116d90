"""Language services: dates written in words (Persian digits, the Solar Hijri calendar),
languages told from the script, writing direction; and the replica's Russian, Persian,
Georgian and Armenian services clean with their own dates and language and no leaks."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from archive.extract import clean
from archive.extract.dates import gregorian_to_jalali, jalali_to_gregorian, parse_text_date
from archive.language import detect_language, direction

content = pytest.importorskip("tests.replica.content", reason="tests/replica (replica sites) not present")
from tests.replica.model import SERVICE_HOSTS  # noqa: E402


@pytest.mark.parametrize("gregorian,jalali", [
    (date(2024, 3, 20), (1403, 1, 1)), (date(2025, 3, 21), (1404, 1, 1)), (date(2026, 3, 21), (1405, 1, 1)),
    (date(2024, 10, 31), (1403, 8, 10)), (date(2025, 3, 20), (1403, 12, 30)), (date(1979, 2, 11), (1357, 11, 22)),
])
def test_solar_hijri_dates_convert_both_ways(gregorian, jalali):
    assert gregorian_to_jalali(gregorian) == jalali
    assert jalali_to_gregorian(*jalali) == gregorian


def test_solar_hijri_conversion_round_trips_every_day_for_a_century():
    day = date(1950, 1, 1)
    while day < date(2050, 1, 1):
        assert jalali_to_gregorian(*gregorian_to_jalali(day)) == day
        day += timedelta(days=1)
    with pytest.raises(ValueError):
        jalali_to_gregorian(1404, 12, 30)  # 1404 is not a leap year
    with pytest.raises(ValueError):
        jalali_to_gregorian(1404, 7, 31)


@pytest.mark.parametrize("text,expected", [
    ("۱۳ مهر ۱۴۰۵، ساعت ۰۷:۴۲ به وقت گرینویچ", "2026-10-05T07:42:00Z"),
    ("دوشنبه ١٠ آبان ١٤٠٣", "2024-10-31"),  # Arabic-Indic digits
    ("۵ اکتبر ۲۰۲۶", "2026-10-05"),  # Gregorian month in Persian
    ("4 октября 2026, 10:05", "2026-10-04T10:05:00"),
    ("Октябрь 4, 2026", "2026-10-04"),
    ("4 ოქტომბერი 2026", "2026-10-04"),
    ("4 ოქტომბრის, 2026", "2026-10-04"),
    ("4 հոկտեմբերի 2026", "2026-10-04"),
    ("October 4, 2026 18:20 GMT", "2026-10-04T18:20:00Z"),
    ("۳۰ اسفند ۱۴۰۴", None), ("31 ноября 2026", None), ("مهر", None), ("no date here", None), ("", None),
])
def test_dates_written_in_words(text, expected):
    assert parse_text_date(text) == expected


@pytest.mark.parametrize("text,language", [
    ("Жители сибирских сел остались без парома.", "ru"), ("Міст через річку відкрили знову.", "uk"),
    ("آب دوباره به بستر زاینده‌رود بازگشت", "fa"), ("عاد الماء إلى النهر بعد سبعة أشهر", "ar"),
    ("თბილისში ძველი საბაგირო გზა ხელახლა გაიხსნა", "ka"), ("Երևանի մետրոյում նոր գնացքներ են", "hy"),
    ("The river rose overnight.", None), ("", None), ("1234 5678", None),
])
def test_language_is_told_from_the_script(text, language):
    assert detect_language(text) == language


def test_direction_of_language_tags():
    assert [direction(t) for t in ("fa", "fa-IR", "AR", "ur", "ps", "he", "ku-Arab", "az-Arab-IR")] == ["rtl"] * 8
    assert [direction(t) for t in ("en", "ru", "ka", "hy", "", None, "az-Latn", "uz")] == ["ltr"] * 8


def _service_articles():
    return [(e, a) for e in (1, 2) for a in content.articles(e) if a.host in SERVICE_HOSTS]


def test_every_service_has_articles_in_its_language():
    languages = {a.host: a.language for _, a in _service_articles()}
    assert languages == {"svoboda.replica.test": "ru", "farda.replica.test": "fa",
                         "tavisupleba.replica.test": "ka", "azatutyun.replica.test": "hy"}


@pytest.mark.parametrize("epoch,article", _service_articles(), ids=lambda x: getattr(x, "path", str(x)))
def test_service_article_cleans_with_its_date_language_and_no_leak(epoch, article):
    _, _, body = content.page(article.host, article.path, epoch)
    page = body.decode()
    doc = clean(body, article.url)
    assert doc.paragraphs == article.paragraphs and doc.title == article.title
    assert doc.published == article.published and doc.language == article.language
    assert doc.author_bios == article.author_bios and all(bio not in doc.text for bio in article.author_bios)
    leaks = [b for b in article.boilerplate if b in doc.text]
    assert leaks == []
    if article.language == "fa":  # the printed Solar Hijri date was the only date on the page
        assert 'dir="rtl"' in page and "datePublished" not in page and "datetime=" not in page
        assert "به وقت گرینویچ" in page
    if article.language == "hy":  # nothing on the page declared the language
        assert "inLanguage" not in page and "<html dir=" in page
