from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from agora.platform import consent
from agora.platform.oauth import OOB_REDIRECT_URI


class ApplicationForm(forms.Form):
    name = forms.CharField(label=_("Application name"), max_length=100)
    website = forms.URLField(
        label=_("Application website"), required=False, max_length=200, assume_scheme="https"
    )
    redirect_uris = forms.CharField(
        label=_("Redirect URIs"),
        initial=OOB_REDIRECT_URI,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line. Use %(oob)s for local tests.") % {"oob": OOB_REDIRECT_URI},
    )
    scopes = forms.MultipleChoiceField(
        label=_("Scopes"),
        widget=forms.CheckboxSelectMultiple,
        initial=["read", "write", "follow"],
        choices=consent.choices,
    )
