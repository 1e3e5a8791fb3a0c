"""Titles a name follows or precedes in Persian and Arabic news, and the words that are never such a name.

The rules only; ``entities.matching.find_candidates`` proposes the names
next to these titles for editors to review.
"""

from __future__ import annotations

from .fold import fold
from .morphology import ARTICLE
from .tokens import words

# A name follows these titles ("وزير الخارجية الروسي سيرجي لافروف", "وزیر امور
# خارجه ترکیه هاکان فیدان").  Bare Persian titles (وزیر، رئیس) are followed by
# what they head ("رئیس مجمع تشخیص مصلحت"), so they only take a name before
# them, in apposition ("سرگئی لاوروف وزیر امور خارجه روسیه"), as all Persian
# titles do.  Arabic puts the name after the title.
TITLES_FA = [
    "وزیر امور خارجه", "وزیر خارجه", "وزیر دفاع", "وزیر کشور", "رئیس جمهوری", "رئیس جمهور", "رییس جمهوری",
    "رییس جمهور", "نخست وزیر", "سخنگوی وزارت امور خارجه", "رئیس پارلمان", "رئیس مجلس", "دبیرکل سازمان ملل",
]
TITLES_FA_BARE = ["وزیر", "رئیس", "رییس", "معاون", "سفیر", "دبیرکل", "فرمانده", "نماینده ویژه", "سخنگوی", "پادشاه", "ولیعهد"]
TITLES_AR = [
    "وزير الخارجية", "وزير الدفاع", "الرئيس", "رئيس الوزراء", "رئيس الجمهورية", "السفير", "الأمين العام",
    "الملك", "الأمير", "ولي العهد", "نائب الرئيس", "الشيخ",
]
TITLES = TITLES_FA + TITLES_FA_BARE + TITLES_AR
# Words that follow a title but are never part of a name: qualifiers,
# verbs of saying, function words.  Folded.
NOT_NAME = frozenset(
    fold(w)
    for w in """
    امور خارجه خارجی کشور کشورمان جمهوری اسلامی دولت پیشین سابق اسبق فعلی وقت جدید ویژه کل این آن
    گفت افزود کرد کرده اعلام تاکید دیدار سفر روز امروز دیروز هفته نیز هم با به در از برای که را و یا
    اول دوم سوم مجلس پارلمان شورای وزارت سازمان ملل متحد اتحادیه اروپا ایالات متحده آمریکا
    الخارجیة الخارجية الدفاع الداخلية الوزراء الجمهورية الحكومة السابق الأسبق الحالي الجديد العام
    قال وقال أكد وأكد أعلن وأعلن أن إن في من إلى على عن مع خلال لدى بعد قبل يوم اليوم أمس
    الأمم المتحدة الاتحاد الأوروبي الولايات المتحدة مجلس الأمن باسم الرسمي
    صاحب السمو الجلالة حضرة سمو جلالة فخامة معالي سماحة الملکی الملكي
    ادامه داد دستور متن انتهای پیام حال حاضر حضور اظهارات اخیر برنامه ریزی روابط هیات همراه می شود
    کمیته کمیسیون هیئت گروه حزب ستاد دانشگاه بانک شرکت شهر استان منطقه
    لجنة هيئة حزب مجلس جامعة بنك شركة مدينة منطقة نظيره نظيرته نظرائه همتای همتایش همتایان
    """.split()
)
# Countries that qualify a title ("وزیر امور خارجه ترکیه ..."): skipped, never a name.
COUNTRIES = frozenset(
    fold(w)
    for w in """
    روسیه ارمنستان آذربایجان ایران ترکیه فرانسه آلمان انگلیس چین عراق سوریه لبنان عربستان پرو مصر اردن
    آمریکا گرجستان قزاقستان اوکراین پاکستان افغانستان ژاپن هند قطر امارات کویت آفریقای آفریقا جنوبی شمالی
    روسيا أرمينيا أذربيجان إيران تركيا فرنسا ألمانيا بريطانيا الصين العراق سوريا لبنان السعودية البيرو مصر الأردن
    أمريكا جورجيا أوكرانيا باكستان أفغانستان اليابان الهند قطر الإمارات الكويت
    """.split()
)

# Adjectives of origin ("مسؤول روسي", "منابع آمریکایی"): a nationality, never a person's whole name;
# Arabic's also with the article.
_ORIGINS_AR = """
روسي سعودي فرنسي أمريكي أميركي بريطاني ألماني إيراني تركي عراقي سوري لبناني مصري أردني صيني ياباني هندي
قطري كويتي إماراتي يمني فلسطيني إسرائيلي أوكراني باكستاني أفغاني أرميني أذربيجاني جورجي تونسي جزائري
مغربي ليبي سوداني إيطالي إسباني تشيكي سويسري بولندي هولندي بلجيكي برتغالي برازيلي أرجنتيني كوري أوروبي
""".split()
_ORIGINS_FA = """
روسی آمریکایی فرانسوی انگلیسی آلمانی ایرانی عراقی سوری لبنانی مصری اردنی چینی ژاپنی هندی قطری کویتی
اماراتی یمنی فلسطینی اسرائیلی اوکراینی پاکستانی افغان ارمنی آذربایجانی گرجی سعودی عربستانی اروپایی
""".split()
ORIGINS = frozenset(fold(w) for w in [*_ORIGINS_AR, *(ARTICLE + w for w in _ORIGINS_AR), *_ORIGINS_FA])


def is_nisba_with_article(word: str) -> bool:
    """Whether a folded word is an adjective of origin with the Arabic article ("الروسی"): it qualifies a title."""
    return word.startswith(ARTICLE) and word.endswith("ی")


# Persian honorifics a name follows at once ("آقای محمد جواد ظریف", "حجت الاسلام حسن
# روحانی"), unlike the bare titles above, which head what they are the head of; folded
# word sequences, the spaced forms as Hamshahri and Fars write them.
HONORIFICS_FA = frozenset(
    tuple(words(phrase))
    for phrase in """
    آقای خانم دکتر مهندس استاد سردار سرلشکر سرتیپ سرهنگ سپهبد دریادار مرحوم آیت‌الله حجت‌الاسلام
    حجت‌الاسلام‌والمسلمین
    """.split()
    + ["آیت الله", "آیت الله العظمی", "آیت‌الله العظمی", "حجت الاسلام", "حجت الاسلام والمسلمین", "حجت الاسلام و المسلمین"]
)


# Words that stand before or after a person's name in news: titles, ranks,
# roles and honorifics (with the title phrases above): the name
# recogniser's feature of a word beside a name (``entities.names``).
_ROLES = """
آقای خانم آقا دکتر مهندس استاد حجت‌الاسلام حجت‌الاسلام‌والمسلمین آیت‌الله آیت الله سردار سرلشکر سرتیپ
سرهنگ سپهبد دریادار امیر شهید مرحوم حضرت امام رهبر رئیس رییس وزیر معاون سخنگوی سخنگو نماینده سفیر
دبیرکل فرمانده مدیرعامل مدیر دبیر نخست‌وزیر رئیس‌جمهور رئیس‌جمهوری پادشاه ملکه ولیعهد شاه شیخ سرمربی
مربی بازیکن کاپیتان مهاجم هافبک دروازه‌بان خبرنگار نویسنده کارگردان بازیگر خواننده شاعر همتای نامزد
السيد السيدة الدكتور الشيخ الرئيس الملك الملكة الأمير الوزير وزير رئيس نائب السفير الأمين اللواء العميد
العقيد الفريق المشير الإمام آية الحاج المهندس الأستاذ المدرب اللاعب الكاتب الفنان المتحدث الناطق زعيم
قائد ولي السلطان المستشار النائب المبعوث نظيره المرشح
"""
ROLE_WORDS = frozenset(words(_ROLES + " ".join(TITLES)))
