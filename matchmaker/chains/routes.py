"""Pages: the coordinator's value chains and projects, and a company's own chains."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker.auth.membership import members_only
from matchmaker.chains.forms import PROJECT_STATUS, ChainFilterForm, ProjectForm, ProjectStatusForm
from matchmaker.coordinator.routes import coordinator_required
from matchmaker.db import get_session
from matchmaker.domain.errors import InvalidData
from matchmaker.forms import options
from matchmaker.page_cache import cached_page
from matchmaker.services import chains as chain_service
from matchmaker.services import projects as project_service
from matchmaker.services.paging import paginate_list

bp = Blueprint("chains", __name__)
bp.record_once(lambda state: state.app.jinja_env.globals.update(PROJECT_STATUS_LABELS=PROJECT_STATUS))

CHAINS_PER_PAGE = 5  # a chain card is tall (up to four links with reasons): five a page


def _page(chains: list):
    return paginate_list(chains, request.args.get("page", 1, type=int), CHAINS_PER_PAGE)


def _min_score() -> float:
    return current_app.extensions["matchmaker_matcher"].settings.min_score


def _coordinator_page(project_form: ProjectForm, status: int = 200):
    session = get_session()
    form = ChainFilterForm(formdata=request.args)
    form.municipality.choices = options([("", "–"), *((m, m) for m in
                                                      chain_service.municipalities(session))])
    valid = form.validate()
    chains = chain_service.all_chains(
        session, material=(form.material.data or "") if valid else "",
        municipality=(form.municipality.data or "") if valid else "", min_score=_min_score())
    return render_template(
        "chains/coordinator.html", form=form, page=_page(chains),
        unprocessed=chain_service.unprocessed_offers(session),
        projects=project_service.projects(session), project_form=project_form), status


@bp.route("/coordinator/chains")
@cached_page
@coordinator_required
def coordinator_chains():
    return _coordinator_page(ProjectForm(formdata=None))


@bp.route("/coordinator/chains/projects", methods=["POST"])
@coordinator_required
def save_project():
    form = ProjectForm()
    if not form.validate_on_submit():
        flash(_("The project was not saved: it needs a title."), "danger")
        return _coordinator_page(form, 422)
    try:
        ids = project_service.parse_suggestion_ids(form.chain.data)
        project_service.save_project(get_session(), current_user, form.title.data,
                                     form.note.data or "", ids)
    except InvalidData:
        flash(_("The project was not saved: this chain no longer exists."), "danger")
        return _coordinator_page(form, 422)
    flash(_("Project saved."), "success")
    return redirect(url_for("chains.coordinator_chains", _anchor="projects"))


@bp.route("/coordinator/projects/<int:project_id>/status", methods=["POST"])
@coordinator_required
def project_status(project_id: int):
    form = ProjectStatusForm()
    if not form.validate_on_submit():
        flash(_("Choose a status."), "danger")
        return _coordinator_page(ProjectForm(formdata=None), 422)
    project_service.set_status(get_session(), project_id, form.status.data)
    flash(_("Saved."), "success")
    if request.form.get("back") == "overview":
        return redirect(url_for("coordinator.overview"))
    return redirect(url_for("chains.coordinator_chains", _anchor="projects"))


@bp.route("/chains")
@cached_page
@members_only
def company_chains():
    if current_user.company_id is None:
        flash(_("Value chains are shown to company users."), "warning")
        return redirect(url_for("main.index"))
    chains = chain_service.company_chains(get_session(), current_user.company_id,
                                          viewer_company_id=current_user.company_id,
                                          min_score=_min_score())
    return render_template("chains/company.html", page=_page(chains))
