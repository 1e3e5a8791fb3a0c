"""Static files in production: whitenoise's hashed and compressed copies, with the web font optional.

The stylesheet names the Vazirmatn font, which ``make font`` copies into
``static/fonts/`` from the npm registry when npm is there; without it pages
use the system's Arabic-script fonts.  Django's manifest storage refuses to
process a stylesheet that names a missing file, which would make the font a
requirement of every production start.  Here a reference into ``fonts/``
whose file is missing is left as written (browsers fall back when it
answers 404); any other missing file still stops ``collectstatic``.
"""

import logging
import posixpath
from urllib.parse import unquote, urldefrag, urlsplit

from whitenoise.storage import CompressedManifestStaticFilesStorage

log = logging.getLogger(__name__)

OPTIONAL = "fonts/"


class ProductionStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def converter(matchobj):
            path = unquote(urlsplit(urldefrag(matchobj["url"]).url).path)
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), path))
            if target.startswith(OPTIONAL) and not self.exists(target):
                log.warning("%s names %s, which is not installed (make font): left as written", name, target)
                return matchobj["matched"]
            return convert(matchobj)

        return converter
