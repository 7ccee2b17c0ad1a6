from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.auth.membership import members_only
from matchmaker.companies import bp
from matchmaker.companies.forms import ProfileForm
from matchmaker.db import get_session
from matchmaker.domain.errors import Conflict
from matchmaker.domain.vocab import LocationSource
from matchmaker.geo.gazetteer import place_label, postcode_place
from matchmaker.page_cache import cached_page
from matchmaker.services import companies as company_service
from matchmaker.services.listings import company_listings, shown_listings
from matchmaker.services.partners import partner_suggestions


def _own_company():
    if current_user.company_id is None:
        abort(404)
    return company_service.get_company(get_session(), current_user.company_id)


@bp.app_template_filter("place")
def place(company) -> str:  # noqa: ANN001
    return place_label(company.city, company.municipality)


@bp.route("/postcode/<code>")
def postcode(code: str):
    """Place and municipality of a Norwegian postcode, for the profile and sign-up forms'
    script (public data from the shipped table)."""
    hit = postcode_place(code[:10])
    if hit is None:
        return {}, 404
    return {"place": hit.label, "municipality": hit.municipality, "county": hit.county}


@bp.route("/company")
@cached_page
@login_required
def mine():
    company = _own_company()
    session = get_session()
    return render_template("companies/mine.html", company=company,
                           progress=company_service.profile_progress(session, company),
                           listings=company_listings(session, company.id),
                           suggestions=partner_suggestions(session, current_user, limit=5))


@bp.route("/company/edit", methods=["GET", "POST"])
@login_required
def edit():
    company = _own_company()
    # A POST is the whole form: a field left out is empty, not "keep the stored value".
    form = ProfileForm() if request.method == "POST" else ProfileForm(obj=company)
    if not form.is_submitted() and company.location_source != LocationSource.USER.value:
        # Derived coordinates are shown as such, not pre-filled as if the user had typed them.
        form.lat.data = form.lon.data = None
    if form.validate_on_submit():
        lat = float(form.lat.data) if form.lat.data is not None else None
        lon = float(form.lon.data) if form.lon.data is not None else None
        try:
            company_service.update_profile(get_session(), company, form.profile_fields(), lat, lon,
                                           current_app.extensions["matchmaker_locate"],
                                           current_app.extensions["matchmaker_matcher"])
        except Conflict:
            form.org_number.errors.append(_("Another company has this organisation number."))
        else:
            if company.has_location:
                flash(_("Profile saved."), "success")
            else:
                flash(_("Profile saved, but we could not find the location. Check postcode and "
                        "place, or give coordinates."), "warning")
            return redirect(url_for("companies.mine"))
    return render_template("companies/edit.html", form=form, company=company)


@bp.route("/companies/<int:company_id>")
@cached_page
@members_only
def show(company_id: int):
    if company_id == current_user.company_id:
        return redirect(url_for("companies.mine"))
    session = get_session()
    company = company_service.get_company(session, company_id)
    if not (company.approved or current_user.is_coordinator):
        abort(404)  # not a member (yet): no profile page for the others
    listings = shown_listings(session, company_id,
                              include_confidential=current_user.is_coordinator)
    return render_template("companies/show.html", company=company, listings=listings,
                           show_contact=current_user.is_coordinator)
