from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker.db import get_session
from matchmaker.notifications import bp, labels
from matchmaker.page_cache import cached_page
from matchmaker.services import notifications


@bp.app_context_processor
def _badge() -> dict:
    """The header's unread count, counted only when the page asks for it (logged in)."""
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return notifications.unread_count(get_session(), current_user.id)

    return {"unread_notifications": unread_notifications}


@bp.route("/notifications")
@cached_page
@login_required
def index():
    page = notifications.notification_page(get_session(), current_user.id,
                                           page=request.args.get("page", 1, type=int))
    items = [(n, labels.text(n)) for n in page.items]
    return render_template("notifications/index.html", page=page, items=items)


@bp.route("/notifications/<int:notification_id>")
@login_required
def open_one(notification_id: int):
    """Reading a notification means following it: it is marked read, then the page to act on
    opens."""
    n = notifications.open_notification(get_session(), current_user.id, notification_id)
    return redirect(labels.target(n, current_user.is_coordinator))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def read_all():
    notifications.mark_all_read(get_session(), current_user.id)
    flash(_("All notifications are marked as read."), "success")
    return redirect(url_for("notifications.index"))
