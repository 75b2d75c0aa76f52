from datetime import UTC, datetime

from articles.dates import french_date, french_datetime, iso


def test_dates_read_as_french_readers_write_them():
    assert french_date(datetime(2025, 8, 15, 9, 0, tzinfo=UTC)) == "15 août 2025"
    assert french_date(datetime(2026, 3, 1, 9, 0, tzinfo=UTC)) == "1er mars 2026"


def test_times_are_shown_in_paris_time_with_an_h():
    # 22:05 UTC in summer is 00:05 the next day in Paris.
    late = datetime(2025, 8, 14, 22, 5, tzinfo=UTC)
    assert french_datetime(late) == "15 août 2025 à 00h05"
    assert iso(late) == "2025-08-15T00:05:00+02:00"


def test_no_date_prints_nothing():
    assert french_date(None) == french_datetime(None) == iso(None) == ""
