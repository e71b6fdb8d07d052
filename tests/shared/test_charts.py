from __future__ import annotations

import pytest
from flask import Flask, render_template_string

from citizen.shared.charts import PLOT_WIDTH, bar_chart


def test_bars_scale_to_the_largest_count_and_suppressed_values_draw_nothing() -> None:
    chart = bar_chart("Answers", ["Yes", "No", "Small"], {"Count": [30, 15, None]})
    widths = [row.bars[0].width for row in chart.rows]
    assert widths == [PLOT_WIDTH, PLOT_WIDTH / 2, 0.0]
    assert [row.bars[0].text for row in chart.rows] == ["30", "15", "suppressed"]


def test_percent_series_and_mismatched_lengths() -> None:
    chart = bar_chart("Share", ["A", "B"], {"Population": [60.0, 40.0], "Panel": [55.5, 44.5]},
                      unit="percent", highlighted=[False, True])
    assert chart.rows[1].highlighted and chart.rows[0].bars[1].text == "55.5%"
    with pytest.raises(ValueError):
        bar_chart("Bad", ["A", "B"], {"x": [1]})
    with pytest.raises(ValueError):
        bar_chart("Bad", ["A"], {"x": [1]}, unit="pounds")


def test_macro_renders_svg_with_title_and_a_table(app: Flask) -> None:
    chart = bar_chart("Who answered", ["Under 25", "25 to 64"], {"People": [3, 9]},
                      category_heading="Age", highlighted=[True, False])
    with app.test_request_context():
        html = render_template_string(
            '{% from "_macros/charts.html" import bar_chart %}{{ bar_chart(chart) }}', chart=chart)
    assert 'role="img"' in html and "<title id=" in html and "<desc id=" in html
    assert '<th scope="row">Under 25 <strong class="tag tag--warning">Under-represented</strong></th>' in html
    assert '<td class="table__numeric">9</td>' in html
