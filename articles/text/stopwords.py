"""Stop words of Persian and Arabic, folded.

``STOP_WORDS`` (both languages) is what today's index drops.  The chains
keep stop words as flagged terms, per language (``STOP_FA``, ``STOP_AR``),
with the question words people type in a search too (کجا، چه کسی، متى، من هو):
they rank little and never decide alone which document comes first.
"""

from __future__ import annotations

from .fold import fold

_STOP_FA = """
و در به از که را با این آن برای تا بر هم یا نیز اما ولی اگر چون چه پس زیرا
است هست بود شد شده شود می نمی باشد باشند هستند بودند کرد کرده کند کنند کردند
خود ما من تو او ایشان آنها اینها شما همه هر دیگر چند یک دو
ای های ها روی پیش بین درباره مورد
"""
_STOP_AR = """
و في من على إلى الى عن مع أن ان إن لا ما لم لن قد كان كانت يكون هذا هذه ذلك تلك
التي الذي الذين اللذين هو هي هم هن نحن أنا انت كل بعض أو ثم حتى إذا اذا لكن بل
عند عندما منذ خلال بين حول أي ايضا أيضا وقد وفي وان وأن ومن فى كما
"""
_QUESTIONS_FA = """
کجا کجاست کجای چه چی چیست چرا چگونه چطور کدام کدامیک کی کیست چند چقدر آیا
کسی چیزی نام اسم چه‌کسی توسط
"""
_QUESTIONS_AR = """
ما ماذا من متى أين اين كيف لماذا كم هل أي اي ماهو ماهي وما ومن ومتى وكم وأين
"""
STOP_WORDS = frozenset(fold(w) for w in (_STOP_FA + _STOP_AR).split())
STOP_FA = frozenset(fold(w).replace("\u200c", "") for w in (_STOP_FA + _QUESTIONS_FA).split())
STOP_AR = frozenset(fold(w) for w in (_STOP_AR + _QUESTIONS_AR).split())
