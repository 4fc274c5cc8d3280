"""Writes the lookup tables that ship in models/ beside the NER pack, built
from files that load slowly (each module says why):

- models/ner/words_<digest>.dawg: the word → id table of the NER pack's
  word list (extractor/ner/words.py);
- models/names/*.dawg: Natasha's first-name and surname lists
  (extractor/names.py);
- models/links/iso3166.tsv: Russian place names → ISO 3166 codes, from
  pycountry (pip install pycountry, in the test extra) and
  models/links/names.tsv (extractor/links.py);
- models/links/places.tsv: the gazetteer of Russian place names that the
  normal forms of places are checked against, from the same sources
  (extractor/places.py).

  python scripts/build_tables.py [PACK]    # default: the project's NER pack
"""
import sys

from extractor import assets, links, names, places
from extractor.ner import words

paths = [words.write(sys.argv[1] if len(sys.argv) > 1 else assets.default_ner())]
paths += names.write_name_tables()
paths.append(links.write_table())
paths.append(places.write_table())
for path in paths:
    print('%s: %d bytes' % (path, path.stat().st_size))
