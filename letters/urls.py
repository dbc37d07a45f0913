from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("", views.LetterListView.as_view(), name="list"),
    path("<int:pk>/", views.LetterDetailView.as_view(), name="detail"),
    path("sources/<int:pk>/pdf/", views.SourcePdfView.as_view(), name="source_pdf"),
]
