from connector import channels


class BucklesConfig(channels.ChannelConfig):
    name = "channels.buckles"
    label = "buckles"
    verbose_name = "Buckles"
