from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from dossiers.views import DashboardView
from questions.views import SearchView

urlpatterns = [
    path("", DashboardView.as_view(), name="home"),
    path("search/", SearchView.as_view(), name="search"),
    path("admin/", admin.site.urls),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Switching language must work on the login page too.
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("dossiers/", include("dossiers.urls")),
    path("letters/", include("letters.urls")),
    path("letters/", include("intake.urls")),
    path("questions/", include("questions.urls")),
    path("deadlines/", include("deadlines.urls")),
    path("", include("api.urls")),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler500 = "core.views.server_error"
handler404 = "api.exceptions.page_not_found"
