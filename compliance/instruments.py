"""Legal instruments cited in full, as official letters cite them.

Directives, policies and violations keep their legal basis short ("UU 23/2014 Pasal
67-68; PP 12/2017 Pasal 38"); letters spell each instrument out with its title and, for an
amended law, its amendment (tata naskah dinas, Permendagri 1/2023: a law is cited by its
type, number, year and title). An instrument not in INSTRUMENTS is printed as written,
never guessed.
"""

import re

ADMINDUK = (
    "Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan sebagaimana telah "
    "diubah dengan Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas Undang-Undang "
    "Nomor 23 Tahun 2006 tentang Administrasi Kependudukan"
)

# short form ("UU 23/2014") -> the instrument in full, with its amendments in force.
INSTRUMENTS = {
    "UU 23/2014": (
        "Undang-Undang Nomor 23 Tahun 2014 tentang Pemerintahan Daerah sebagaimana telah "
        "beberapa kali diubah terakhir dengan Undang-Undang Nomor 6 Tahun 2023 tentang "
        "Penetapan Peraturan Pemerintah Pengganti Undang-Undang Nomor 2 Tahun 2022 tentang "
        "Cipta Kerja menjadi Undang-Undang"
    ),
    # The 2013 law amends the 2006 one: an article "of UU 24/2013" is an article of the
    # Population Administration Law as amended.
    "UU 23/2006": ADMINDUK,
    "UU 24/2013": ADMINDUK,
    "PP 12/2017": (
        "Peraturan Pemerintah Nomor 12 Tahun 2017 tentang Pembinaan dan Pengawasan "
        "Penyelenggaraan Pemerintahan Daerah"
    ),
    "PP 18/2016": (
        "Peraturan Pemerintah Nomor 18 Tahun 2016 tentang Perangkat Daerah sebagaimana telah "
        "diubah dengan Peraturan Pemerintah Nomor 72 Tahun 2019 tentang Perubahan atas "
        "Peraturan Pemerintah Nomor 18 Tahun 2016 tentang Perangkat Daerah"
    ),
}

_SHORT = re.compile(r"^(?P<kind>UU|PP|Perpres|Permendagri)\s+(?P<number>\d+)/(?P<year>\d{4})\b")
_RANGE = re.compile(r"Pasal (\d+)-(\d+)")


def _articles(text):
    """'Pasal 67-68' -> 'Pasal 67 dan Pasal 68'; 'Pasal 36-38' -> 'Pasal 36 sampai dengan
    Pasal 38', as the articles are written out in official letters."""

    def spell(match):
        first, last = int(match.group(1)), int(match.group(2))
        joint = "dan" if last == first + 1 else "sampai dengan"
        return f"Pasal {first} {joint} Pasal {last}"

    return _RANGE.sub(spell, text.strip(" ,;"))


def cite(part):
    """One short citation ("UU 23/2014 Pasal 67-68") in full ("Pasal 67 dan Pasal 68
    Undang-Undang Nomor 23 Tahun 2014 tentang ..."); an unknown one as written."""
    part = part.strip()
    match = _SHORT.match(part)
    full = match and INSTRUMENTS.get(f"{match['kind']} {match['number']}/{match['year']}")
    if not full:
        return part
    articles = _articles(part[match.end() :])
    return f"{articles} {full}" if articles else full


def cite_all(*bases):
    """The distinct citations of several ';'-separated legal bases, in full, in order."""
    seen = []
    for basis in bases:
        for part in (basis or "").split(";"):
            full = cite(part)
            if full and full not in seen:
                seen.append(full)
    return seen
