"""The command palette's papershelf commands: every key of the main screen (named by its
tooltip, with its key as the app displays it) and what has no key (import, export, views,
take back the last import)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.command import DiscoveryHit, Hit, Hits, Provider


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    run: Callable[[], object]


class PapershelfCommands(Provider):
    """Commands of the screen the palette opened on (`MainScreen.palette_commands`)."""

    def _commands(self) -> list[Command]:
        commands = getattr(self.screen, "palette_commands", None)
        return commands() if commands else []

    async def discover(self) -> Hits:
        for command in self._commands():
            yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._commands():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run, help=command.help)
