"""The admin keeps and shows the history of places and names (django-simple-history)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from conflictmap.accounts.roles import Role, assign_role
from gazetteer.models import Place, PlaceName


@pytest.fixture
def admin_client(client, db):
    user = User.objects.create_user("ada")
    assign_role(user, Role.ADMIN)
    client.force_login(user)
    return client, user


@pytest.mark.parametrize("model", ["place", "placename"])
def test_an_admin_edit_is_recorded_with_its_author(admin_client, small_gazetteer, model):
    client, user = admin_client
    obj = (
        Place.objects.get(uid="t:CUR1")
        if model == "place"
        else PlaceName.objects.filter(name="Ghweiran").get()
    )
    obj._history_user = user
    obj.note = "<b>checked</b>" if model == "place" else ""
    if model == "placename":
        obj.name = "Ghwayran"
    obj.save()
    record = obj.history.latest("history_date")
    assert (record.history_type, record.history_user) == ("~", user)
    page = client.get(f"/admin/gazetteer/{model}/{obj.pk}/history/")
    assert page.status_code == 200
    assert "ada" in page.content.decode()
