from django.urls import path, register_converter

from . import views
from .feeds import FEEDS

app_name = "deadlines"


class FeedKindConverter:
    """The name of one of the Atom feeds (`feeds.FEEDS`)."""

    regex = "|".join(FEEDS)

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FeedKindConverter, "feedkind")

urlpatterns = [
    path("", views.deadline_list, name="list"),
    path("<int:pk>/", views.deadline_detail, name="detail"),
    path("statistics/", views.statistics_page, name="statistics"),
    path("owed/", views.owed, name="owed"),
    path("owed/minister/<int:minister>/", views.owed, name="owed_by"),
    path("subscriptions/", views.subscriptions, name="subscriptions"),
    path("subscriptions/<int:pk>/", views.subscription_update, name="subscription_update"),
    path("subscriptions/profile/", views.profile_update, name="profile_update"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("calendar/<str:token>.ics", views.calendar_feed, name="calendar"),
    path("feeds/<str:token>/<feedkind:kind>.atom", views.atom_feed, name="feed"),
    path(
        "feeds/<str:token>/dossiers/<int:dossier>/<feedkind:kind>.atom", views.atom_feed, name="dossier_feed"
    ),
]
