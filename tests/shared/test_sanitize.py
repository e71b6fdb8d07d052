from __future__ import annotations

from citizen.shared.sanitize import clean_rich_text, plain_text


def test_keeps_structure_and_drops_scripts() -> None:
    html = clean_rich_text(
        '<h2 onclick="x()">Title</h2><script>alert(1)</script><p style="color:red">Hi '
        '<a href="javascript:alert(1)">bad</a> <a href="https://nhs.uk">good</a></p>'
        '<img src="/a.png" alt="A map" onerror="x()">'
    )
    assert "<script" not in html and "onclick" not in html and "onerror" not in html
    assert "style=" not in html and "javascript:" not in html
    assert "<h2>Title</h2>" in html
    assert 'href="https://nhs.uk"' in html and 'rel="noopener noreferrer"' in html
    assert 'alt="A map"' in html


def test_plain_text() -> None:
    assert plain_text("<p>Hello <b>there</b></p>") == "Hello there"


def test_a_span_may_mark_words_in_another_language() -> None:
    html = clean_rich_text('<p>Say <span lang="pa" dir="ltr" style="x" onclick="y()">ਸਤ ਸ੍ਰੀ ਅਕਾਲ</span></p>')
    assert '<span lang="pa" dir="ltr">ਸਤ ਸ੍ਰੀ ਅਕਾਲ</span>' in html
