/* Names for the admin controls Django's widgets leave unnamed for screen readers:
   select2's comboboxes and search boxes (autocomplete fields) and the fields of tabular
   inlines, which sit under a column header but have no label. Runs again whenever the
   admin adds a row or a widget. No visible change. */
"use strict";
{
    let made = 0;
    const idOf = (element) => element.id || (element.id = `amparo-name-${++made}`);

    // A field's label, or the header of its column in a tabular inline.
    function labelFor(field) {
        if (field.labels && field.labels.length) {
            return field.labels[0];
        }
        const cell = field.closest("td");
        const table = cell && cell.closest("table");
        if (!table || !table.tHead) {
            return null;
        }
        const column = [...cell.classList].find((name) => name.startsWith("field-"));
        return (column && table.tHead.querySelector(`th.column-${column.slice("field-".length)}`))
            || table.tHead.rows[0].cells[cell.cellIndex] || null;
    }

    function nameAutocomplete(container) {
        const select = container.previousElementSibling;
        const label = select && select.tagName === "SELECT" ? labelFor(select) : null;
        if (!label) {
            return;
        }
        const combobox = container.querySelector(".select2-selection[role=combobox]");
        if (combobox) {
            // The combobox and the text box inside it (a single choice) both say the label
            // and then the choice.
            const chosen = combobox.querySelector(".select2-selection__rendered[id]");
            const names = [idOf(label), chosen ? chosen.id : ""].join(" ").trim();
            combobox.setAttribute("aria-labelledby", names);
            if (chosen) {
                chosen.setAttribute("aria-labelledby", names);
            }
        }
        const search = container.querySelector(".select2-search__field");
        if (search) {
            search.setAttribute("aria-labelledby", idOf(label));
        }
        // select2 puts its "remove all" cross inside the list of choices; it is for the
        // mouse (Backspace does the same), so it is hidden from the accessibility tree.
        for (const cross of container.querySelectorAll("ul > .select2-selection__clear")) {
            cross.setAttribute("aria-hidden", "true");
        }
    }

    function nameInlineFields() {
        const fields = document.querySelectorAll(
            ".tabular td input, .tabular td select, .tabular td textarea");
        for (const field of fields) {
            if (field.type === "hidden" || (field.labels && field.labels.length)
                    || field.hasAttribute("aria-labelledby")) {
                continue;
            }
            const header = labelFor(field);
            if (header) {
                field.setAttribute("aria-labelledby", idOf(header));
            }
        }
    }

    function nameEverything() {
        document.querySelectorAll(".select2-container").forEach(nameAutocomplete);
        nameInlineFields();
    }

    nameEverything();
    document.addEventListener("DOMContentLoaded", nameEverything);
    new MutationObserver(nameEverything).observe(document.body || document.documentElement,
                                                 {childList: true, subtree: true});
}
