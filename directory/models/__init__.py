from .base import Record, RecordQuerySet
from .checking import CheckingInterval, PendingChange, StaffMembership
from .facilities import DetentionFacility
from .legal import LegalFund
from .organizations import (
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
from .search import SearchEntry, SearchFacet, SearchOpening, Synonym
from .vocabularies import Category, Language, Region, Source

__all__ = [
    "CheckingInterval", "PendingChange", "StaffMembership",
    "Category", "DetentionFacility", "Hotline", "HotlineHours", "HotlineMenuOption", "Language",
    "LegalFund", "Location", "LocationHours", "Organization", "Policy",
    "REVIEW_FRESH_DAYS", "Record", "RecordQuerySet", "Region", "RightsReview", "RightsSection",
    "SearchEntry", "SearchFacet", "SearchOpening", "Service", "ServiceHours", "Source", "Synonym",
]
