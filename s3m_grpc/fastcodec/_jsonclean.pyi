from collections.abc import Callable
from typing import Any

class Plan:
    def add(
        self,
        key: str,
        name: str,
        code: int,
        item: int,
        lo: int | None,
        hi: int | None,
        sub: Plan | None,
        index: int,
        implicit: bool,
        /,
    ) -> None: ...

def clean(plan: Plan, obj: Any, /) -> Any: ...
def setup(odd: type[BaseException], json_float: Callable[[float], Any], /) -> None: ...
