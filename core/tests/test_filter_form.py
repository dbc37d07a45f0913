import re

from django import forms

from core.filters import SELECT_TEMPLATE, FilterForm


class Filters(FilterForm):
    committee = forms.ChoiceField(choices=[("", "Alle"), ("1", "BiZa & <JenV>"), ("2", "Financiën")])
    status = forms.MultipleChoiceField(
        choices=[("open", "Open"), ("overdue", "Te laat")], widget=forms.SelectMultiple(attrs={"size": 2})
    )
    grouped = forms.ChoiceField(choices=[("Eerste Kamer", [("3", "EZK")]), ("Tweede Kamer", [("4", "OCW")])])


def as_django_draws_it(form: FilterForm) -> FilterForm:
    for field in form.fields.values():
        field.widget.template_name = SELECT_TEMPLATE
    return form


def squeezed(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_filter_selects_draw_the_markup_of_djangos_own_select_template():
    data = {"committee": "1", "status": ["open", "overdue"], "grouped": "4"}
    ours, djangos = Filters(data), as_django_draws_it(Filters(data))
    for name in ("committee", "status", "grouped"):
        assert squeezed(str(ours[name])) == squeezed(str(djangos[name]))
    assert 'value="1" selected>BiZa &amp; &lt;JenV&gt;</option>' in str(ours["committee"])
    assert "multiple" in str(ours["status"])
    assert '<optgroup label="Tweede Kamer">' in str(ours["grouped"])


def test_filter_selects_use_the_template_that_writes_options_in_place():
    assert Filters().fields["committee"].widget.template_name == "forms/select.html"
