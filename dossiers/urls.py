from django.urls import path

from . import views

app_name = "dossiers"

urlpatterns = [
    path("", views.DossierListView.as_view(), name="list"),
    path("<int:pk>/", views.DossierDetailView.as_view(), name="detail"),
    path("committees/<int:pk>/", views.CommitteeView.as_view(), name="committee"),
]
