from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from .selectors import runs_recent


@login_required
def dashboard(request):
    return render(request, "connector/dashboard.html", {"runs": runs_recent(limit=20)})
