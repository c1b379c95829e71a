from connector import channels


class LightspeedConfig(channels.ChannelConfig):
    name = "lightspeed"
    verbose_name = "Lightspeed Retail"
