from django.contrib import admin
from django.urls import include, path

from articles import views as article_views
from search import views as search_views

from . import views

urlpatterns = [
    path("", article_views.HomeView.as_view(), name="home"),
    path("articles/", include("articles.urls")),
    path("api/articles/<int:pk>/", article_views.article_api, name="api-article"),
    path("share/articles/<int:pk>.png", article_views.article_share, name="article-share"),
    path("search/", include("search.urls")),
    path("api/search/", search_views.search_api, name="api-search"),
    path("", include("entities.urls")),
    path("", include("feeds.urls")),
    path("api/suggest/", search_views.suggest_api, name="suggest"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = views.page_not_found
handler500 = views.server_error
