from connector import channels


class SellercloudConfig(channels.ChannelConfig):
    name = "channels.sellercloud"
    label = "sellercloud"
    verbose_name = "Sellercloud"
