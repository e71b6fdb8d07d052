"""Public pages about the areas the partnership serves."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from citizen.db import get_session
from citizen.extensions import limit_from_config, limiter
from citizen.places import services
from citizen.places.forms import FindAreaForm
from citizen.shared.permissions import public

bp = Blueprint("places", __name__, url_prefix="/places")


@bp.get("/")
@public
def place_list() -> str:
    session = get_session()
    return render_template("places/place_list.html", ics=services.ics(session))


@bp.get("/find")
@public
@limiter.limit(limit_from_config("RATELIMIT_LOOKUPS"))
def place_find() -> str:
    form = FindAreaForm(request.args)
    result = None
    searched = "postcode" in request.args
    if searched and form.validate():
        result = services.place_for_district(get_session(), form.postcode.data or "")
    return render_template(
        "places/place_find.html", form=form, searched=searched and not form.errors, result=result
    )


@bp.get("/<slug>")
@public
def place_show(slug: str) -> str:
    place = services.place_by_slug(get_session(), slug)
    if place is None:
        abort(404)
    return render_template(
        "places/place_show.html", place=place, districts=services.districts_within(place)
    )
