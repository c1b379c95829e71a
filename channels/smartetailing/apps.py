from connector import channels


class SmartEtailingConfig(channels.ChannelConfig):
    name = "channels.smartetailing"
    label = "smartetailing"
    verbose_name = "SmartEtailing"
