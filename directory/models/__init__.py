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
from .rights import REVIEW_FRESH_DAYS, RightsReview, RightsSection
from .vocabularies import Category, Language, Region, Source

__all__ = [
    "Category", "DetentionFacility", "Hotline", "HotlineHours", "HotlineMenuOption", "Language",
    "LegalFund", "Location", "LocationHours", "MENU_OPTION_FRESH_DAYS", "Organization", "Policy",
    "REVIEW_FRESH_DAYS", "Record", "RecordQuerySet", "Region", "RightsReview", "RightsSection",
    "Service", "ServiceHours", "Source",
]
