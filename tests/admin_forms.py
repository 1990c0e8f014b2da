"""A small "browser" for admin forms: POST data as a rendered admin page would send it."""

from django.forms import CheckboxInput


def post_value(bound):
    """What a browser would send for a rendered field left as it is (None: send nothing)."""
    value = bound.value()
    widget = bound.field.widget
    widget = getattr(widget, "widget", widget)  # admin's RelatedFieldWidgetWrapper
    if isinstance(widget, CheckboxInput):
        return "on" if value else None
    if value is None:
        return None if getattr(widget, "allow_multiple_selected", False) else ""
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    return str(value)


def form_data(response):
    """POST data for the admin page in `response`, as rendered: main form, inlines, management."""
    data = {}

    def add(form):
        for bound in form:
            value = post_value(bound)
            if value is not None:
                data[bound.html_name] = value

    add(response.context["adminform"].form)
    for inline in response.context.get("inline_admin_formsets", []):
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    data["_save"] = "Save"
    return data
