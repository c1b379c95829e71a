"""The project's URLs plus one tenant-object view, to prove the isolation helper and the scoping."""
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import include, path

from connector.models import SyncRun


@login_required
def run_detail(request, pk):
    run = get_object_or_404(SyncRun.objects, pk=pk)  # scoped to request.tenant by the middleware
    return HttpResponse(f"run {run.pk} {run.job}")


urlpatterns = [
    path("test-runs/<int:pk>/", run_detail),
    path("", include("connector.urls")),
]
