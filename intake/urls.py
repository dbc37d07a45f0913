from django.urls import path

from . import views

app_name = "intake"

# Mounted under letters/: the clerk's pages sit beside the letters they make.
urlpatterns = [
    path("new/", views.LetterCreateView.as_view(), name="create"),
    path("intake/", views.IntakeView.as_view(), name="upload"),
    path("review/", views.ReviewQueueView.as_view(), name="review"),
    path("confirm/", views.ConfirmLettersView.as_view(), name="confirm"),
    path("<int:pk>/edit/", views.LetterEditView.as_view(), name="edit"),
    path("sources/<int:pk>/", views.SourceView.as_view(), name="source"),
    path("sources/<int:pk>/duplicate/", views.DuplicateDecisionView.as_view(), name="source_duplicate"),
    path("sources/<int:pk>/status/", views.SourceStatusView.as_view(), name="source_status"),
]
