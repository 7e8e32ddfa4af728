"""stub."""


async def run(*, quick: bool) -> dict:
    return {}
