from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Public page cache"

    def ready(self):
        from articles import hooks, pipeline

        from .stamp import batch_committed, connect, remember

        connect()
        hooks.keep_with(remember)  # the article lists' counts, until the content changes
        # Last: a page cached before it shows the batch's links and index too.
        pipeline.register("stamp", 90, batch_committed)
