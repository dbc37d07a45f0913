"""Deadline pages, the statistics page, subscription management, one-click unsubscribe, the calendar
and Atom feeds."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required, login_required
from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.csv_export import csv_response, wants_csv
from core.filters import active_filters
from dossiers.models import Committee, Minister
from letters.rows import LetterSummary

from . import ics, rules, selectors, statistics
from .addresses import scope_for
from .choices import PENDING_STATUSES, AlertKind, SubscriptionScope
from .exports import deadlines_csv
from .feeds import FEED_TITLES, FEEDS
from .filters import DeadlineFilterSet, OwedFilterSet, StatisticsFilterSet
from .forms import AlertProfileForm, SubscriptionForm
from .models import AlertProfile, CommitteeCalendar, Deadline, Subscription, new_calendar_token
from .tokens import UNSUBSCRIBE, UNSUBSCRIBE_MAX_AGE, read_id

PAGE_SIZE = 50


@dataclass(frozen=True)
class OwedRow:
    """A row of what ministers owe (the component `owed_row`)."""

    deadline: selectors.DeadlineRow
    letter: LetterSummary
    days_late: int | None
    days_left: int | None
    postponements: int
    open_questions: int


ROWS_SHOWN = 50  # of a deadline's postponements and events


def with_letter(queryset: QuerySet[Deadline]) -> QuerySet[Deadline]:
    # No deadline page prints its letter's text, which can run to megabytes.
    return queryset.select_related("letter__committee", "letter__dossier", "letter__minister").defer(
        "letter__text", "letter__search_vector"
    )


@login_required
def deadline_list(request: HttpRequest) -> HttpResponse:
    """Deadlines by due date, narrowed by DeadlineFilterSet; keyset pages, nothing counted but the
    questions of the rows shown."""
    filterset = DeadlineFilterSet(request.GET or None, queryset=Deadline.objects.all())
    if wants_csv(request):
        return deadlines_csv(
            request, filterset.qs, filename=_("deadlines"), today=rules.local_date(timezone.now())
        )
    page, rows = selectors.listed_page(filterset.qs, cursor=request.GET.get("after"), per_page=PAGE_SIZE)
    return render(request, "deadlines/deadline_list.html", {"filter": filterset, "page": page, "rows": rows})


OWED_PAGE_SIZE = 100  # a minister's list for a meeting: most fit on one printed page of rows


@login_required
def owed(request: HttpRequest, minister: int | None = None) -> HttpResponse:
    """What ministers owe: the unanswered letters by due date, overdue first, each with its days
    late, postponements, committee and open questions; for one minister (`minister`) or all, with
    the count per minister. Filtered by OwedFilterSet; keyset pages; printable; CSV."""
    shown_minister = get_object_or_404(Minister, pk=minister) if minister is not None else None
    deadlines = selectors.owed(Deadline.objects.all())
    if shown_minister is not None:
        deadlines = deadlines.filter(letter__minister=shown_minister)
    filterset = OwedFilterSet(
        request.GET or None, queryset=deadlines, minister_fixed=shown_minister is not None
    )
    now = timezone.now()
    if wants_csv(request):
        filename = _("owed") if shown_minister is None else f"{_('owed')}-{shown_minister.portfolio}"
        return deadlines_csv(request, filterset.qs, filename=slugify(filename), today=rules.local_date(now))
    page, listed = selectors.listed_page(
        filterset.qs, cursor=request.GET.get("after"), per_page=OWED_PAGE_SIZE
    )
    postponements = selectors.postponement_counts([deadline.pk for deadline, _letter, _questions in listed])
    rows = []
    for deadline, letter, questions in listed:
        days_left = rules.days_left(deadline.due_date, deadline.answered_on, now=now)
        rows.append(
            OwedRow(
                deadline=deadline,
                letter=letter,
                days_late=rules.days_overdue(days_left),
                days_left=days_left if days_left is not None and days_left >= 0 else None,
                postponements=postponements.get(deadline.pk, 0),
                open_questions=questions,
            )
        )
    return render(
        request,
        "deadlines/owed.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows,
            "minister": shown_minister,
            "active_filters": active_filters(filterset.form),
            "per_minister": selectors.owed_per_minister(filterset.qs) if shown_minister is None else None,
            "today": rules.local_date(now),
        },
    )


@login_required
def deadline_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deadline = get_object_or_404(with_letter(Deadline.objects.all()), pk=pk)
    following = Subscription.objects.filter(
        user=request.user, scope=SubscriptionScope.LETTER, letter_id=deadline.letter_id, active=True
    ).exists()
    days_left = deadline.days_left(now=timezone.now())
    return render(
        request,
        "deadlines/deadline_detail.html",
        {
            "deadline": deadline,
            "days_left": days_left,
            "days_overdue": rules.days_overdue(days_left),
            "alert_values": AlertKind.values,
            "postponements": deadline.postponements.all()[:ROWS_SHOWN],
            "events": deadline.events.order_by("-created_at", "-pk")[:ROWS_SHOWN],
            "question_count": deadline.letter.questions.count(),
            "following": following,
        },
    )


# The statistics page's tables, each downloadable as CSV (`?export=csv&table=<name>` with the page's
# filters).
STATISTICS_TABLES = {
    "month": gettext_lazy("Share answered on time per month asked"),
    "late": gettext_lazy("Days late"),
    "minister": gettext_lazy("Ministers ranked by share answered on time"),
    "committee": gettext_lazy("Committees ranked by share answered on time"),
    "chamber": gettext_lazy("Per chamber"),
}


@login_required
def statistics_page(request: HttpRequest) -> HttpResponse:
    """Reply times in figures ("Cijfers"): per chamber, committee, minister and month asked, for
    the letters the filters select; every table also as CSV, every chart beside its table."""
    filterset = StatisticsFilterSet(request.GET or None, queryset=Deadline.objects.all())
    deadlines = filterset.qs
    download = request.GET.get("table")
    if wants_csv(request) and download in STATISTICS_TABLES:
        return statistics_csv(deadlines, download)
    groups = statistics.tables(deadlines)
    overall = statistics.total(groups["chamber"])
    tables = {
        name: [(statistics.label(name, figures), statistics.cells(figures)) for figures in rows]
        for name, rows in groups.items()
    }
    late_bins = list(zip(statistics.late_bin_labels(), overall.late_bins(), strict=True))
    charts = {
        "month": on_time_chart("line", tables["month"], groups["month"]),
        "late": chart("bar", [name for name, _n in late_bins], [n for _name, n in late_bins], _("Letters")),
        "minister": on_time_chart("bar", tables["minister"], groups["minister"], horizontal=True),
    }
    return render(
        request,
        "deadlines/statistics.html",
        {
            "filter": filterset,
            "columns": [label for _attribute, label, _unit in statistics.COLUMNS],
            "total": overall,
            "overall": statistics.cells(overall),
            "headers": statistics.GROUP_HEADERS,
            "tables": tables,
            "titles": STATISTICS_TABLES,
            "late_bins": late_bins,
            "charts": charts,
        },
    )


def chart(
    kind: str, labels: list[str], values: list, label: str, *, percent: bool = False, horizontal: bool = False
) -> dict:
    """What `static/js/statistics.js` draws: the chart's type, its labels and its one series (named
    in the page's language); percentages on a 0-100 axis."""
    return {
        "type": kind,
        "labels": labels,
        "values": values,
        "label": label,
        "percent": percent,
        "horizontal": horizontal,
    }


def on_time_chart(kind: str, table: list, groups: list, *, horizontal: bool = False) -> dict:
    """A chart of the share answered on time of each group of a table."""
    return chart(
        kind,
        [label for label, _cells in table],
        [figures.share_on_time for figures in groups],
        _("Answered on time (%)"),
        percent=True,
        horizontal=horizontal,
    )


def statistics_csv(deadlines: QuerySet[Deadline], table: str) -> HttpResponse:
    """One of the statistics page's tables as CSV: the same rows and columns as on the page."""
    title = STATISTICS_TABLES[table]
    filename = slugify(f"{_('Figures')} {title}")
    tables = statistics.tables(deadlines)
    if table == "late":
        overall = statistics.total(tables["chamber"])
        rows = zip(statistics.late_bin_labels(), overall.late_bins(), strict=True)
        return csv_response(filename=filename, header=[_("Days late"), _("Letters")], rows=rows)
    groups = tables[table]
    rows = [
        [statistics.label(table, figures), *(value for value, _unit in statistics.cells(figures))]
        for figures in groups
    ]
    rows.append([_("Total"), *(value for value, _unit in statistics.cells(statistics.total(groups)))])
    header = [
        statistics.GROUP_HEADERS[table],
        *(label for _attribute, label, _unit in statistics.COLUMNS),
    ]
    return csv_response(filename=filename, header=header, rows=rows)


def profile_for(user) -> AlertProfile:
    profile, _created = AlertProfile.objects.get_or_create(
        user=user, defaults={"language": translation.get_language() or "nl"}
    )
    return profile


@login_required
def subscriptions(request: HttpRequest) -> HttpResponse:
    """The user's subscriptions: add, remove, pause; email language; calendar feed addresses."""
    profile = profile_for(request.user)
    form = SubscriptionForm(request.POST or None, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        subscription = form.save(commit=False)
        subscription.user = request.user
        subscription.save()
        messages.success(request, _("Subscription added."))
        return redirect("deadlines:subscriptions")
    own = list(
        Subscription.objects.filter(user=request.user).select_related("committee", "dossier", "letter")
    )
    committees = Committee.objects.filter(
        pk__in=[
            subscription.committee_id
            for subscription in own
            if subscription.scope == SubscriptionScope.COMMITTEE
        ]
    )
    addresses = {address.committee_id: address for address in request.user.committee_calendars.all()}
    for committee in committees:
        if committee.pk not in addresses:
            addresses[committee.pk], _created = CommitteeCalendar.objects.get_or_create(
                user=request.user, committee=committee
            )
    dossiers = {
        subscription.dossier_id: subscription.dossier
        for subscription in own
        if subscription.scope == SubscriptionScope.DOSSIER
    }
    token = profile.calendar_token
    return render(
        request,
        "deadlines/subscriptions.html",
        {
            "form": form,
            "profile_form": AlertProfileForm(instance=profile),
            "subscriptions": own,
            "calendar_url": request.build_absolute_uri(reverse("deadlines:calendar", args=[token])),
            "feeds": feed_addresses(request, "deadlines:feed", token),
            "committee_calendars": [
                (
                    committee,
                    request.build_absolute_uri(
                        reverse("deadlines:calendar", args=[addresses[committee.pk].token])
                    ),
                    feed_addresses(request, "deadlines:feed", addresses[committee.pk].token),
                )
                for committee in committees
            ],
            "dossier_feeds": [
                (dossier, feed_addresses(request, "deadlines:dossier_feed", token, pk))
                for pk, dossier in dossiers.items()
            ],
        },
    )


def feed_addresses(request: HttpRequest, name: str, *args: object) -> list[tuple[str, str, str]]:
    """The Atom feeds at one address: (kind, title, absolute URL) of each."""
    return [
        (kind, str(title), request.build_absolute_uri(reverse(name, args=[*args, kind])))
        for kind, title in FEED_TITLES.items()
    ]


@login_required
@require_POST
def subscription_update(request: HttpRequest, pk: int) -> HttpResponse:
    """Pause, resume or delete one of the user's own subscriptions."""
    subscription = get_object_or_404(Subscription, pk=pk, user=request.user)
    action = request.POST.get("action")
    if action == "delete":
        subscription.delete()
        messages.success(request, _("Subscription removed."))
    elif action in {"pause", "resume"}:
        subscription.active = action == "resume"
        subscription.save(update_fields=["active"])
        messages.success(request, _("Subscription updated."))
    return redirect("deadlines:subscriptions")


@login_required
@require_POST
def profile_update(request: HttpRequest) -> HttpResponse:
    profile = profile_for(request.user)
    if request.POST.get("action") == "new_calendar_token":
        # The old feed address stops working: for when it was shared by mistake.
        profile.calendar_token = new_calendar_token()
        profile.save(update_fields=["calendar_token"])
        messages.success(request, _("New calendar and feed addresses made; the old ones no longer work."))
    elif request.POST.get("action") == "new_committee_token" and request.POST.get("committee", "").isdigit():
        revoked, _deleted = CommitteeCalendar.objects.filter(
            user=request.user, committee_id=request.POST.get("committee")
        ).delete()
        if revoked:
            # The alerts page makes the new address as it does for a newly followed committee.
            messages.success(request, _("New calendar and feed addresses made; the old ones no longer work."))
    else:
        form = AlertProfileForm(request.POST, instance=profile)
        if form.is_valid():
            form.save()
            messages.success(request, _("Email language saved."))
    return redirect("deadlines:subscriptions")


@login_not_required  # the signed token in the link is the credential
@csrf_exempt  # RFC 8058 one-click POSTs come from mail clients without a CSRF token; the token is the proof.
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks for confirmation (mail scanners follow links); POST stops all the user's alert emails."""
    try:
        user_id = read_id(token, purpose=UNSUBSCRIBE, max_age=UNSUBSCRIBE_MAX_AGE)
    except signing.SignatureExpired:
        return render(request, "deadlines/unsubscribe.html", {"expired": True}, status=410)
    user = get_user_model().objects.filter(pk=user_id).first() if user_id is not None else None
    if user is None:
        return render(request, "deadlines/unsubscribe.html", {"invalid": True}, status=400)
    if request.method == "POST":
        with transaction.atomic():
            stopped = Subscription.objects.filter(user=user, active=True).update(active=False)
        return render(request, "deadlines/unsubscribe.html", {"done": True, "stopped": stopped})
    active = Subscription.objects.filter(user=user, active=True).count()
    return render(request, "deadlines/unsubscribe.html", {"active": active})


@login_not_required  # Outlook fetches the feed without a session; the token is the credential
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """Due dates as iCalendar, for Outlook: a user's subscriptions or a committee they follow, each
    at its own secret address, working while the user's account is active.

    A feed holds the pending deadlines due from `GRIFFIE_CALENDAR_PAST_DAYS` ago on
    (`rules.calendar_since`), at most `GRIFFIE_CALENDAR_MAX_EVENTS`, the earliest first: what a
    calendar shows around today, bounded however much a subscription covers."""
    since = rules.calendar_since(timezone.now(), past_days=settings.GRIFFIE_CALENDAR_PAST_DAYS)
    scope = scope_for(token)
    deadlines = scope.narrow(
        Deadline.objects.filter(status__in=PENDING_STATUSES, due_date__gte=since), "letter__"
    )
    events = ics.events(deadlines.order_by("due_date", "pk"))
    with translation.override(scope.language):
        committee = scope.committee
        name = (committee.short_name or committee.name) if committee else _("Griffie deadlines")
        body = ics.calendar(
            events[: settings.GRIFFIE_CALENDAR_MAX_EVENTS],
            name=name,
            site_url=request.build_absolute_uri("/").rstrip("/"),
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="griffie-deadlines.ics"'
    return response


@login_not_required  # a feed reader fetches the feed without a session; the token is the credential
def atom_feed(request: HttpRequest, token: str, kind: str, dossier: int | None = None) -> HttpResponse:
    """One of the Atom feeds (`feeds.FEEDS`) at a calendar's secret address (`addresses.scope_for`)."""
    return FEEDS[kind](request, token=token, dossier=dossier)
