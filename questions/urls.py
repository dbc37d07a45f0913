from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("", views.QuestionListView.as_view(), name="list"),
    path("<int:pk>/", views.ThreadView.as_view(), name="thread"),
    path("<int:pk>/links/<int:link_pk>/remove/", views.LinkRemoveView.as_view(), name="link_remove"),
]
