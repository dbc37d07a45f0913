from django.urls import path

from . import views

app_name = "letters"

urlpatterns = [
    path("", views.LetterListView.as_view(), name="list"),
    path("new/", views.LetterCreateView.as_view(), name="create"),
    path("intake/", views.IntakeView.as_view(), name="intake"),
    path("<int:pk>/", views.LetterDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.LetterEditView.as_view(), name="edit"),
    path("sources/<int:pk>/", views.SourceView.as_view(), name="source"),
    path("sources/<int:pk>/status/", views.SourceStatusView.as_view(), name="source_status"),
    path("sources/<int:pk>/pdf/", views.SourcePdfView.as_view(), name="source_pdf"),
]
