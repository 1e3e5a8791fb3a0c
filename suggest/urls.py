from django.urls import path

from . import views

urlpatterns = [
    path("api/suggest/", views.suggest, name="suggest"),
]
