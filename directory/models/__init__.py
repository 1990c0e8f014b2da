from .base import Record, RecordQuerySet
from .facilities import DetentionFacility
from .legal import LegalFund
from .organizations import (
    MENU_OPTION_FRESH_DAYS,
    Hotline,
    HotlineHours,
    HotlineMenuOption,
    Location,
    LocationHours,
    Organization,
    Service,
    ServiceHours,
)
from .policies import Policy
from .vocabularies import Category, Language, Region, Source

__all__ = [
    "MENU_OPTION_FRESH_DAYS", "Category", "DetentionFacility", "Hotline", "HotlineHours",
    "HotlineMenuOption", "Language", "LegalFund", "Location", "LocationHours", "Organization",
    "Policy", "Record", "RecordQuerySet", "Region", "Service", "ServiceHours", "Source",
]
