"""The layering contracts (pyproject.toml, checked by lint-imports) list states by module:
its pages sit above indicators, the rest on the ground. A new module of states must be
placed too, or the contracts would not see it."""

import pkgutil
import tomllib
from pathlib import Path

import states

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
PAGES = {"states.views", "states.urls"}


def contracts():
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    return {contract["id"]: contract for contract in config["tool"]["importlinter"]["contracts"]}


def modules_of_states():
    return {f"states.{module.name}" for module in pkgutil.iter_modules(states.__path__)}


def test_every_module_of_states_is_in_a_layer_of_the_apps_contract():
    layers = contracts()["apps"]["layers"]
    placed = {name.strip() for layer in layers for name in layer.split(":")}
    assert modules_of_states() - placed == set()
    top = {name.strip() for name in layers[0].split(":")}
    assert top >= PAGES


def test_every_module_of_states_but_its_pages_is_held_to_the_ground_contract():
    ground = set(contracts()["ground"]["source_modules"])
    assert modules_of_states() - PAGES - ground == set()
    assert not ground & PAGES
