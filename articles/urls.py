from django.urls import path

from . import views

app_name = "articles"

urlpatterns = [
    path("", views.ArticleListView.as_view(), name="list"),
    path("<int:pk>/", views.ArticleDetailView.as_view(), name="detail-short"),
    path("<int:pk>/<str:slug>/", views.ArticleDetailView.as_view(), name="detail"),
]
