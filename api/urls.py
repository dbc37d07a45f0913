from django.contrib.auth.decorators import login_required
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from . import views

app_name = "api"

router = SimpleRouter()
router.register("dossiers", views.DossierViewSet, basename="dossier")
router.register("letters", views.LetterViewSet, basename="letter")
router.register("questions", views.QuestionViewSet, basename="question")
router.register("answers", views.AnswerViewSet, basename="answer")
router.register("deadlines", views.DeadlineViewSet, basename="deadline")
router.register("imports", views.ImportViewSet, basename="import")
router.register("statistics", views.StatisticsViewSet, basename="statistics")

urlpatterns = [
    path("api/tokens/", views.TokenSettingsView.as_view(), name="tokens"),
    # The schema answers a program's token as well as a browser's session (DRF views skip the
    # site's login redirect).
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI, its script served as a file of its own: the page runs under a CSP without inline
    # script. A page for people: an anonymous visitor is sent to the login page first.
    path(
        "api/v1/docs/",
        login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
        name="docs",
    ),
    path("api/v1/", include(router.urls)),
]
