from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("", views.home, name="home"),
    path("hotlines/", views.HotlineListView.as_view(), name="hotline-list"),
    path("hotlines/<slug:slug>/", views.HotlineDetailView.as_view(), name="hotline-detail"),
    path("organizations/", views.OrganizationListView.as_view(), name="organization-list"),
    path("organizations/enforcement/",
         views.OrganizationListView.as_view(is_enforcement=True), name="enforcement-list"),
    path("organizations/<slug:slug>/", views.OrganizationDetailView.as_view(),
         name="organization-detail"),
    path("services/", views.ServiceListView.as_view(), name="service-list"),
    path("services/<slug:slug>/", views.ServiceDetailView.as_view(), name="service-detail"),
    path("legal-funds/", views.LegalFundListView.as_view(), name="legalfund-list"),
    path("legal-funds/<slug:slug>/", views.LegalFundDetailView.as_view(),
         name="legalfund-detail"),
    path("detention-facilities/", views.DetentionFacilityListView.as_view(),
         name="detentionfacility-list"),
    path("detention-facilities/<slug:slug>/", views.DetentionFacilityDetailView.as_view(),
         name="detentionfacility-detail"),
    path("policies/", views.PolicyListView.as_view(), name="policy-list"),
    path("policies/<slug:slug>/", views.PolicyDetailView.as_view(), name="policy-detail"),
    path("regions/", views.RegionListView.as_view(), name="region-list"),
    path("regions/<slug:slug>/", views.region_detail, name="region-detail"),
    path("categories/", views.CategoryListView.as_view(), name="category-list"),
    path("categories/<slug:slug>/", views.category_detail, name="category-detail"),
    path("search/", views.search, name="search"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("rights/", views.rights, name="rights"),
    path("rights/print/", views.rights_print, name="rights-print"),
    path("rights/print/both-languages/", views.rights_bilingual, name="rights-bilingual"),
    path("rights/cards/", views.rights_cards, name="rights-cards"),
    path("rights/family-plan/", views.rights_worksheet, name="rights-worksheet"),
]
