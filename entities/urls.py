from django.urls import path

from . import views

app_name = "entities"

urlpatterns = [
    path("people/", views.PersonListView.as_view(), name="people"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person"),
    path("people/<slug:slug>/timeline.png", views.person_timeline, name="person-timeline"),
    path("people/<slug:slug>/share.png", views.person_share, name="person-share"),
    path("events/", views.EventListView.as_view(), name="events"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event"),
    path("events/<slug:slug>/share.png", views.event_share, name="event-share"),
    path("api/people/<int:pk>/", views.person_api, name="api-person"),
    path("api/events/<int:pk>/", views.event_api, name="api-event"),
]
