"""The layering contracts (pyproject.toml, checked by lint-imports) list states by module:
its pages sit above indicators, the rest on the ground. A new module of states must be
placed too, or the contracts would not see it. And the apps form one order: the import
graph squashed to the apps (states and search counted by layer) has no cycle."""

import pkgutil
import re
import tomllib
from pathlib import Path

import grimp

import states

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
PAGES = {"states.views", "states.urls"}


def contracts():
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    return {contract["id"]: contract for contract in config["tool"]["importlinter"]["contracts"]}


def modules_of_states():
    return {f"states.{module.name}" for module in pkgutil.iter_modules(states.__path__)}


def names_in(layer):
    return {name.strip() for name in re.split(r"[:|]", layer)}


def test_every_module_of_states_is_in_a_layer_of_the_apps_contract():
    layers = [names_in(layer) for layer in contracts()["apps"]["layers"]]
    placed = set().union(*layers)
    assert modules_of_states() - placed == set()
    pages_layer = next(index for index, names in enumerate(layers) if names >= PAGES)
    indicators_layer = next(index for index, names in enumerate(layers) if "indicators" in names)
    assert pages_layer < indicators_layer  # listed from the top


def test_every_module_of_states_but_its_pages_is_held_to_the_ground_contract():
    ground = set(contracts()["ground"]["source_modules"])
    assert modules_of_states() - PAGES - ground == set()
    assert not ground & PAGES


def app_of(module, split):
    """The app a module belongs to; an app listed by module (states, search) counts once
    per layer it spans, e.g. `states.views` is in "states@2" and `states.models` in "states@9"."""
    package = module.split(".")[0]
    for listed, layer in split.items():
        if module == listed or module.startswith(f"{listed}."):
            return f"{package}@{layer}"
    return package


def squashed_app_graph():
    contract = contracts()["apps"]
    config = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))
    root_packages = config["tool"]["importlinter"]["root_packages"]
    split = {
        name: index
        for index, layer in enumerate(contract["layers"])
        for name in names_in(layer)
        if "." in name
    }
    graph = grimp.build_graph(*root_packages, include_external_packages=False)
    edges = {}
    for importer in graph.modules:
        # The root URLconf composes every app's pages (ignored by the contracts too).
        if importer == "ogp_portal.urls":
            continue
        for imported in graph.find_modules_directly_imported_by(importer):
            source, target = app_of(importer, split), app_of(imported, split)
            if source != target:
                edges.setdefault(source, set()).add(target)
    return edges


def find_cycle(edges):
    """A cycle of the graph as a list of nodes, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for target in sorted(edges.get(node, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target, [*path, target])):
                return cycle
        state[node] = "done"
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node, [node])):
            return cycle
    return None


def test_find_cycle_finds_a_mutual_import():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}}) is None


def test_no_two_apps_import_each_other_even_through_others():
    edges = squashed_app_graph()
    assert {"commitments", "accounts", "api", "imports"} <= set(edges)
    assert find_cycle(edges) is None
