from django.contrib.auth.decorators import login_not_required
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

urlpatterns = [
    path("api/tokens/", views.TokenSettingsView.as_view(), name="tokens"),
    # The schema answers a program's token as well as a browser's session.
    path("api/v1/schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    # Swagger UI, its script served as a file of its own: the page runs under a CSP without inline script.
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("api/v1/", include(router.urls)),
]
