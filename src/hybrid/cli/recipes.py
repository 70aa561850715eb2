"""`hybrid recipes [NAME]`: list the shipped recipes, or print one's spec."""

from __future__ import annotations

import click
from rich.markup import escape

from hybrid.cli.console import out_console
from hybrid.recipes import find_recipe, list_recipes


@click.command()
@click.argument("name", required=False)
def recipes(name: str | None) -> None:
    """List the ready-made specs `hybrid init --recipe NAME` starts from; with NAME, print
    that recipe's spec.yaml."""
    if name is not None:
        click.echo(find_recipe(name).spec_text, nl=False)
        return
    found = list_recipes()
    width = max((len(recipe.name) for recipe in found), default=0)
    console = out_console()
    for recipe in found:
        console.print(f"[bold]{escape(recipe.name.ljust(width))}[/]  {escape(recipe.summary)}")
