from connector import channels


class SameSystemConfig(channels.ChannelConfig):
    name = "channels.samesystem"
    label = "samesystem"
    verbose_name = "SameSystem"
