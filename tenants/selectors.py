from .models import Membership


def membership_for_user(*, user):
    """The user's membership; a user belongs to one tenant (the first one joined)."""
    return Membership.objects.select_related("tenant").filter(user=user).order_by("created_at", "id").first()
