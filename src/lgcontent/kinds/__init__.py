"""The rule kinds, by the name a rule file gives in ``kind:``."""

from __future__ import annotations

from .base import Hit, Kind, OptionError
from .heading_structure import HeadingStructure
from .image_alt import ImageAlt
from .inline_format import InlineFormat
from .link_consistency import LinkConsistency
from .list_structure import ListStructure
from .link_text import LinkText
from .metadata import Metadata
from .paragraph_length import ParagraphLength
from .pattern import Pattern
from .readability import Readability
from .site import SiteBrokenLink, SiteDuplicate
from .sentence_length import SentenceLength
from .substitution import Substitution
from .word_list import WordList

KINDS: dict[str, type[Kind]] = {
    kind.name: kind
    for kind in (
        WordList,
        Substitution,
        Pattern,
        SentenceLength,
        ParagraphLength,
        Readability,
        LinkText,
        HeadingStructure,
        Metadata,
        ImageAlt,
        ListStructure,
        InlineFormat,
        LinkConsistency,
        SiteDuplicate,
        SiteBrokenLink,
    )
}

__all__ = ["KINDS", "Hit", "Kind", "OptionError"]
