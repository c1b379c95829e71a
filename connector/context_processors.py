from .channels import channels_all


def channel_nav(request):
    """The nav's channel links, built from the registry: (title, URL name, namespace)."""
    return {"nav_channels": [(c.title, c.page_url_name, c.key) for c in channels_all() if c.urls]}
