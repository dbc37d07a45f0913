"""Atom feeds of new letters, new answers and deadline changes, at the calendar's secret addresses.

Each feed is one of three kinds (`FEEDS`) at each address `addresses.scope_for` accepts: what a user
follows, a dossier they follow, a committee they follow. A feed holds the newest
`GRIFFIE_FEED_ENTRIES` entries, newest first, read in one query (each entry's committee, dossier,
minister and the letter it replies to are joined), and is written in the language of the address's
user, as their alert mails are; a committee's in the site's language (Dutch). An entry's title and
summary are templates (`templates/deadlines/feeds/`); links point to the address the feed was fetched
from, as the calendar's do.

What a scope covers is what its subscriptions cover: a letter in the committee, dossier or letter
followed, and the replies to such a letter (a minister's answer or postponement names no committee
of its own). A deadline change is an event of a deadline whose letter is covered, the mails' rule.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import feedgenerator, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.links import pk_url
from letters.choices import LetterKind
from letters.models import Letter

from .addresses import Scope, scope_for
from .models import DeadlineEvent, EventKind

# What a letter's entry prints: the letter without its text, its places and the letter it replies to.
LETTER_FIELDS = (
    "kind",
    "date",
    "subject",
    "sender",
    "created_at",
    "committee__name",
    "committee__short_name",
    "dossier__number",
    "dossier__title",
    "minister__portfolio",
    "minister__name",
    "in_reply_to__kind",
    "in_reply_to__date",
    "in_reply_to__subject",
)
# What a deadline change's entry prints: the event, its deadline's letter and the notice or answer.
EVENT_FIELDS = (
    "kind",
    "from_status",
    "to_status",
    "due_date",
    "created_at",
    "deadline__letter__kind",
    "deadline__letter__date",
    "deadline__letter__subject",
    "deadline__letter__committee__name",
    "deadline__letter__dossier__number",
    "deadline__letter__dossier__title",
    "letter__kind",
    "letter__date",
    "letter__subject",
)
# The events that change a deadline. Not the weekly "still overdue" reminder, which repeats a state,
# nor "due in N days", which repeats the change to due soon.
CHANGE_KINDS = (EventKind.STATUS, EventKind.POSTPONEMENT, EventKind.ANSWER)


@dataclass(frozen=True)
class Address:
    """The feed's object: what its token serves, and the site's address it was fetched at."""

    scope: Scope
    site_url: str
    url: str


@dataclass(frozen=True)
class Entry:
    """One entry: the row it shows (a Letter or a DeadlineEvent) and its absolute links."""

    item: Any
    link: str
    guid: str
    updated: datetime
    related: str | None  # the letter replied to, or the notice or answer that changed a deadline


class ScopedFeed(Feed):
    """An Atom feed at a secret address; subclasses say which rows, and how an entry links."""

    feed_type = feedgenerator.Atom1Feed
    kind_title = gettext_lazy("New letters")
    item_guid_is_permalink = False

    def get_object(self, request: HttpRequest, token: str, dossier: int | None = None) -> Address:
        return Address(
            scope=scope_for(token, dossier=dossier),
            site_url=request.build_absolute_uri("/").rstrip("/"),
            url=request.build_absolute_uri(),
        )

    def get_feed(self, obj: Address, request: HttpRequest) -> feedgenerator.SyndicationFeed:
        # Titles, templates and dates in the address's language, whatever the reader's browser says.
        with translation.override(obj.scope.language):
            return super().get_feed(obj, request)

    def title(self, obj: Address) -> str:
        scope = obj.scope
        if scope.committee is not None:
            name = scope.committee.short_name or scope.committee.name
        elif scope.dossier is not None:
            name = str(scope.dossier)
        else:
            name = _("what you follow")
        return _("%(kind)s: %(scope)s") % {"kind": self.kind_title, "scope": name}

    def link(self, obj: Address) -> str:
        return f"{obj.site_url}{obj.scope.page}"

    def feed_url(self, obj: Address) -> str:
        return obj.url

    def feed_guid(self, obj: Address) -> str:
        return obj.url

    # How the rows reach the letters a scope covers (`Subscription.letter_filter`).
    paths: tuple[str, ...] = ("",)

    def rows(self) -> QuerySet[Any]:
        raise NotImplementedError

    def entry(self, row: Any, site_url: str) -> Entry:
        raise NotImplementedError

    def items(self, obj: Address) -> list[Entry]:
        rows = obj.scope.newest(self.rows(), *self.paths, count=settings.GRIFFIE_FEED_ENTRIES)
        return [self.entry(row, obj.site_url) for row in rows]

    def item_link(self, item: Entry) -> str:
        return item.link

    def item_guid(self, item: Entry) -> str:
        return item.guid

    def item_pubdate(self, item: Entry) -> datetime:
        return item.updated

    def item_updateddate(self, item: Entry) -> datetime:
        return item.updated


class LetterFeed(ScopedFeed):
    """Letters as they are recorded, newest first (a higher key is a later record)."""

    title_template = "deadlines/feeds/letter_title.html"
    description_template = "deadlines/feeds/letter_description.html"
    # A letter in the scope, or a reply to one.
    paths = ("", "in_reply_to__")

    def rows(self) -> QuerySet[Letter]:
        return Letter.objects.select_related("committee", "dossier", "minister", "in_reply_to").only(
            *LETTER_FIELDS
        )

    def entry(self, row: Letter, site_url: str) -> Entry:
        letter_url = pk_url("letters:detail")
        link = f"{site_url}{letter_url(row.pk)}"
        related = f"{site_url}{letter_url(row.in_reply_to_id)}" if row.in_reply_to_id else None
        return Entry(row, link, link, row.created_at, related)


class AnswerFeed(LetterFeed):
    kind_title = gettext_lazy("New answers")

    def rows(self) -> QuerySet[Letter]:
        return super().rows().filter(kind=LetterKind.ANSWER)


class ChangeFeed(ScopedFeed):
    """Changes of the deadlines covered: status changes, postponements and answers received."""

    kind_title = gettext_lazy("Deadline changes")
    title_template = "deadlines/feeds/change_title.html"
    description_template = "deadlines/feeds/change_description.html"

    paths = ("deadline__letter__",)

    def rows(self) -> QuerySet[DeadlineEvent]:
        return (
            DeadlineEvent.objects.filter(kind__in=CHANGE_KINDS)
            .select_related("deadline__letter__committee", "deadline__letter__dossier", "letter")
            .only(*EVENT_FIELDS)
        )

    def entry(self, row: DeadlineEvent, site_url: str) -> Entry:
        link = f"{site_url}{pk_url('deadlines:detail')(row.deadline_id)}"
        related = f"{site_url}{pk_url('letters:detail')(row.letter_id)}" if row.letter_id else None
        # Several events share their deadline's page: each is told apart by its own key.
        return Entry(row, link, f"{link}#event-{row.pk}", row.created_at, related)


# The kinds of feed at every address, by the name its URL ends in (`<name>.atom`).
FEEDS: dict[str, ScopedFeed] = {"letters": LetterFeed(), "answers": AnswerFeed(), "changes": ChangeFeed()}
FEED_TITLES = {
    "letters": LetterFeed.kind_title,
    "answers": AnswerFeed.kind_title,
    "changes": ChangeFeed.kind_title,
}
