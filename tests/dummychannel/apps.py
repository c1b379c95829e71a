from connector import channels


class DummyConfig(channels.ChannelConfig):
    name = "tests.dummychannel"
    label = "dummy"
    verbose_name = "Dummy channel (tests only)"
