"""SMS parts: GSM-7 and UCS-2 limits, concatenation, pairs never split, the preview body."""

from __future__ import annotations

import pytest

from store.segments import GSM7, UCS2, parts, preview, transliterate


@pytest.mark.parametrize(
    "text, encoding, count, remaining",
    [
        ("", GSM7, 1, 160),
        ("a" * 160, GSM7, 1, 0),
        ("a" * 161, GSM7, 2, 153 * 2 - 161),
        ("a" * 306, GSM7, 2, 0),
        ("a" * 307, GSM7, 3, 152),
        ("€" * 80, GSM7, 1, 0),  # extension characters take two septets
        ("€" * 81, GSM7, 2, 153 * 2 - 162 - 1),  # the pair that would straddle starts part 2
        ("ä" * 70, GSM7, 1, 90),  # ä is in the default alphabet
        ("ş" * 70, UCS2, 1, 0),
        ("ş" * 71, UCS2, 2, 67 * 2 - 71),
        ("😀" * 35, UCS2, 1, 0),  # a surrogate pair is two units
        ("ş" * 66 + "😀" + "a" * 10, UCS2, 2, 67 - 12),  # the pair that would straddle starts part 2
    ],
)
def test_parts(text, encoding, count, remaining):
    p = parts(text)
    assert (p.encoding, p.count, p.remaining) == (encoding, count, remaining)


def test_transliteration_brings_accented_and_greek_text_into_the_default_alphabet():
    assert transliterate("Artık Şeker", "TURKISH") == "Artik Seker"
    assert transliterate("Ωμέγα", "GREEK") == "ΩMEΓA"
    assert transliterate("Ωμέγα", "NONE") == "Ωμέγα"
    assert parts(transliterate("ş" * 100, "TURKISH")).encoding == GSM7


def test_preview_has_the_plain_text_then_the_asked_configuration():
    body = preview("Ş" * 100, language_code="TR", transliteration="TURKISH")
    assert body == {
        "originalText": "Ş" * 100,
        "previews": [
            {"textPreview": "Ş" * 100, "messageCount": 2, "charactersRemaining": 34, "configuration": {}},
            {
                "textPreview": "S" * 100, "messageCount": 1, "charactersRemaining": 60,
                "configuration": {"language": {"languageCode": "TR"}, "transliteration": "TURKISH"},
            },
        ],
    }
    assert preview("hi") == {
        "originalText": "hi",
        "previews": [{"textPreview": "hi", "messageCount": 1, "charactersRemaining": 158, "configuration": {}}],
    }
