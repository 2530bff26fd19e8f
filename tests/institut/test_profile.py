import pytest

pytestmark = pytest.mark.django_db


def test_it_lets_a_person_change_language_and_time_zone(client, trainee):
    client.force_login(trainee)
    response = client.post(
        "/comptes/profil/",
        {
            "full_name": "Camille  Martin-Diallo",
            "preferred_language": "en",
            "time_zone": "America/Montreal",
        },
    )
    assert response.status_code == 302
    trainee.refresh_from_db()
    assert trainee.full_name == "Camille Martin-Diallo"
    assert trainee.preferred_language == "en"
    assert trainee.time_zone == "America/Montreal"


def test_it_refuses_an_unknown_time_zone_and_keeps_the_old_one(client, trainee):
    client.force_login(trainee)
    response = client.post(
        "/comptes/profil/",
        {
            "full_name": "Camille Martin",
            "preferred_language": "fr",
            "time_zone": "Lune/Tranquillité",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert "Sélectionnez un choix valide" in html
    trainee.refresh_from_db()
    assert trainee.time_zone == "Europe/Paris"


def test_it_sends_anonymous_visitors_to_log_in(client):
    response = client.get("/comptes/profil/")
    assert response.status_code == 302
    assert response.url.startswith("/comptes/login/")
