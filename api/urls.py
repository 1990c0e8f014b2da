"""The HSDS 3.0 API's paths, without trailing slashes, as the specification writes them."""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi_document, name="openapi"),
    path("services", views.service_list, name="service-list"),
    path("services/<str:pk>", views.service_detail, name="service-detail"),
    path("organizations", views.organization_list, name="organization-list"),
    path("organizations/<str:pk>", views.organization_detail, name="organization-detail"),
    path("service_at_locations", views.service_at_location_list,
         name="service-at-location-list"),
    path("service_at_locations/<str:pk>", views.service_at_location_detail,
         name="service-at-location-detail"),
    path("taxonomies", views.taxonomy_list, name="taxonomy-list"),
    path("taxonomies/<str:pk>", views.taxonomy_detail, name="taxonomy-detail"),
    path("taxonomy_terms", views.taxonomy_term_list, name="taxonomy-term-list"),
    path("taxonomy_terms/<str:pk>", views.taxonomy_term_detail, name="taxonomy-term-detail"),
    path("notices", views.notice_list, name="notice-list"),
]
