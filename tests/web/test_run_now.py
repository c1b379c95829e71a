"""Issue 15 §5–7: "Run now" says what is missing on a channel that is off, starts one run on a double click,
keeps its progress across a reload, and the job table follows the run's real outcome."""
import pytest
from django.urls import reverse

from connector.channels import channels_selling

pytestmark = pytest.mark.django_db

CHANNEL = channels_selling()[0]


def test_run_now_on_a_channel_that_is_off_says_what_is_missing_and_runs_nothing(owner_client, queued_runs,
                                                                               django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = owner_client.post(reverse("run_now", args=[CHANNEL.primary_job]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert 'data-state="refused"' in html and f"{CHANNEL.title} is off" in html
    first_step = CHANNEL.setup_steps[0].title
    assert first_step[1:] in html, "names the first setup step left"
    assert "Succeeded" not in html and "record" not in html
    assert not queued_runs


def test_the_api_refuses_it_too(owner_client, queued_runs):
    response = owner_client.post(f"/api/jobs/{CHANNEL.primary_job}/run/", {}, content_type="application/json")
    assert response.status_code == 400 and f"{CHANNEL.title} is off" in response.content.decode()
    assert not queued_runs


def test_the_source_runs_without_a_switch(owner_client, queued_runs, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        html = owner_client.post(reverse("run_now", args=["lightspeed.reference_sync"]),
                                 HTTP_HX_REQUEST="true").content.decode()
    assert 'data-state="queued"' in html and len(queued_runs) == 1
