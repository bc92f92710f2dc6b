from enum import StrEnum


class PolicyType(StrEnum):
    FLAG = "flag"
    INTEGER = "integer"
    INTEGER_MAP = "integer_map"
    LIST = "list"

    def __str__(self) -> str:
        return str(self.value)
