from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.db import get_session
from matchmaker.listings import bp
from matchmaker.listings.forms import ListingForm
from matchmaker.page_cache import cached_page
from matchmaker.services import listings as listing_service
from matchmaker.services.companies import get_company
from matchmaker.services.partner_page import listing_partners


def _matcher():
    return current_app.extensions["matchmaker_matcher"]


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new():
    form = ListingForm(direction=request.args.get("direction", "offer"))
    if current_user.company_id is None:
        flash(_("Only company users have listings."), "warning")
        return redirect(url_for("main.index"))
    if form.validate_on_submit():
        listing_service.create_listing(get_session(), current_user, form.listing_fields(),
                                       _matcher())
        flash(_("Listing saved."), "success")
        return redirect(url_for("companies.mine"))
    return render_template("listings/form.html", form=form, listing=None)


@bp.route("/<int:listing_id>")
@cached_page
@login_required
def show(listing_id: int):
    session = get_session()
    listing = listing_service.visible_listing(session, current_user, listing_id)
    own = listing.company_id == current_user.company_id
    return render_template("listings/show.html", listing=listing,
                           company=get_company(session, listing.company_id),
                           partners=listing_partners(session, current_user, listing_id) if own
                           else None)


@bp.route("/<int:listing_id>/edit", methods=["GET", "POST"])
@login_required
def edit(listing_id: int):
    session = get_session()
    listing = listing_service.own_listing(session, current_user, listing_id)
    form = ListingForm() if request.method == "POST" else ListingForm(obj=listing)
    if request.method != "POST":
        form.show_unit(listing)
    if form.validate_on_submit():
        listing_service.update_listing(session, current_user, listing_id, form.listing_fields(),
                                       _matcher())
        flash(_("Listing saved."), "success")
        return redirect(url_for("companies.mine"))
    return render_template("listings/form.html", form=form, listing=listing)


@bp.route("/<int:listing_id>/active", methods=["POST"])
@login_required
def set_active(listing_id: int):
    active = request.form.get("active") == "1"
    listing_service.set_listing_active(get_session(), current_user, listing_id, active,
                                       _matcher())
    flash(_("Listing activated.") if active else _("Listing deactivated."), "success")
    return redirect(url_for("companies.mine"))


@bp.route("/<int:listing_id>/delete", methods=["POST"])
@login_required
def delete(listing_id: int):
    listing_service.delete_listing(get_session(), current_user, listing_id, _matcher())
    flash(_("Listing deleted."), "success")
    return redirect(url_for("companies.mine"))
