from connector import channels


class MiintoConfig(channels.ChannelConfig):
    name = "channels.miinto"
    label = "miinto"
    verbose_name = "Miinto"
