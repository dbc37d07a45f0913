from django.urls import path

from . import views

app_name = "deadlines"

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
]
