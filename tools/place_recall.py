"""Recall of the gazetteer on well-known conflict places, spelled as news spells them.

Each name is put in a short sentence (``قصفت قوات النظام بلدة X في ريف إدلب``)
and run through :func:`rasid.geo.places.find_places`. A name counts as found
when a place mention covers it and resolves to a place in the expected
governorate (the ``ريف`` phrase is the admin cue news usually gives).
The list is hand-written (public knowledge: towns and villages that Syria news
names often); it measures recall only, precision is the job of
``tests/data/place_probes.tsv``. Usage: ``python tools/place_recall.py [-v]``.
"""

from __future__ import annotations

import argparse
from functools import lru_cache

from rasid.document import Article, Document
from rasid.geo.places import find_places
from rasid.knowledge.loader import load_yaml

SENTENCE = "قصفت قوات النظام بلدة {} في ريف {} صباح اليوم."

# governorate (admin1 as in regions.yaml) -> names as news writes them
FAMOUS: dict[str, str] = {
    "Idlib": (
        "كنصفرة البارة معرشورين سفوهن كفرنبل حيش الهبيط خان_شيخون معرة_النعمان سراقب تفتناز"
        " تادف? كفرسجنة معرة_حرمة الفطيرة فليفل بينين مرعيان احسم إبلين بليون كفرعويد شنان سرجة"
        " دير_سنبل عين_لاروز حاس الموزرة بسامس مشون جوزف مجدليا النقير معرشمشة معرشمارين الدير_الشرقي"
        " تلمنس الغدفة التمانعة ترملا كفرومة معرتحرمة بداما الناجية جسر_الشغور أريحا سرمين بنش"
        " كفريا الفوعة سلقين حارم الدانا سرمدا أطمة كفرتخاريم أرمناز معرة_مصرين كللي حزانو"
        " ملند محمبل أبو_الظهور كفرلاتة الرامي"
    ),
    "Hama": (
        "كفرنبودة قلعة_المضيق اللطامنة كفرزيتا مورك صوران طيبة_الإمام محردة السقيلبية حلفايا"
        " كرناز الحويز الحويجة التوينة الزيارة قسطون الحواش العنكاوي الشريعة تل_واسط الكركات"
        " جورين شطحة سلحب المشيك العمقية الجبين تل_ملح الجلمة الصخر معركبة لحايا الأربعين الزكاة"
        " معان عطشان خطاب قمحانة"
    ),
    "Aleppo": (
        "الأتارب دارة_عزة عندان حريتان تل_رفعت منغ مسكنة دير_حافر منبج جرابلس الباب أعزاز عفرين"
        " جنديرس راجو خان_طومان الزربة خلصة الحاضر العيس تل_حدية كفرناها أورم_الكبرى قبتان_الجبل"
        " عنجارة كفرداعل حيان بيانون مارع نبل الزهراء السفيرة الراشدين خان_العسل كفرحمرة"
        " الشيخ_عقيل تل_عرن"
    ),
    "Deir ez-Zor": (
        "الشحيل ذيبان هجين الباغوز السوسة البوكمال الميادين العشارة الصور البصيرة خشام الطابية"
        " الجلاء الحسرات موحسن البوليل الكشكية أبو_حمام غرانيج الشعفة"
    ),
    "Ar-Raqqa": "عين_عيسى الطبقة تل_أبيض سلوك المنصورة الكرامة معدان",
    "Al-Hasakah": "تل_تمر رأس_العين الدرباسية عامودا المالكية القحطانية الهول الشدادي مركدة اليعربية",
    "Latakia": "كبانة الكبينة سلمى دورين الحدادة التفاحية الكندة كنسبا ربيعة",
    "Daraa": (
        "بصرى_الشام طفس داعل إنخل جاسم الحراك نوى الصنمين إزرع المسيفرة الشيخ_مسكين الجيزة"
        " اليادودة المزيريب تل_شهاب نصيب بصر_الحرير الكرك_الشرقي ناحتة الغارية_الشرقية محجة"
        " الحارة عتمان خربة_غزالة"
    ),
    "Quneitra": "خان_أرنبة جباتا_الخشب الحميدية بئر_عجم بريقة رويحينة حضر مسحرة أم_باطنة",
    "Rif Dimashq": (
        "دوما حرستا عربين زملكا عين_ترما كفربطنا سقبا حمورية جسرين المليحة مسرابا مديرا بيت_سوى"
        " الشيفونية النشابية أوتايا حزة دير_العصافير زبدين داريا معضمية_الشام الزبداني مضايا"
        " يبرود"
    ),
    "Homs": "تلبيسة الرستن القصير الحولة تدمر",
}


@lru_cache(maxsize=1)
def _admin1_ar() -> dict[str, str]:
    return {g["admin1"]: g["admin1_ar"] for g in load_yaml("regions.yaml")["governorates"]}


def famous() -> list[tuple[str, str]]:
    """(name, admin1) pairs; ``_`` in the lists above is a space, ``?`` marks names to skip."""
    out = []
    for admin1, names in FAMOUS.items():
        for n in names.split():
            if not n.endswith("?"):
                out.append((n.replace("_", " "), admin1))
    return out


def resolve(name: str, admin1: str) -> dict | None:
    text = SENTENCE.format(name, _admin1_ar()[admin1])
    doc = Document(Article(id="recall", text=text))
    find_places(doc)
    a = text.index(name)
    b = a + len(name)
    hits = [m for m in doc.mentions if m.kind in ("place", "region") and m.start < b and a < m.end]
    return hits[0].data if hits else None


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Recall on well-known conflict places")
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args(argv)
    found = wrong = 0
    missing: list[str] = []
    pairs = famous()
    for name, admin1 in pairs:
        got = resolve(name, admin1)
        if got is None:
            missing.append(f"MISS {name} ({admin1})")
        elif got.get("admin1") != admin1:
            wrong += 1
            missing.append(f"ADM  {name} -> {got['gazetteer_id']} {got.get('admin1')} (want {admin1})")
        else:
            found += 1
    print(f"famous places: {len(pairs)}  found in the right governorate: {found}  wrong governorate: {wrong}")
    if args.verbose:
        print("\n".join(missing))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
