from enum import StrEnum


class ConnectType(StrEnum):
    API = "api"
    PORT_FORWARD = "port-forward"
    SSH = "ssh"
    WEB = "web"

    def __str__(self) -> str:
        return str(self.value)
