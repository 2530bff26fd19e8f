"""The shipped contexts: exactly the published files, and nothing else is ever loaded."""

from __future__ import annotations

import hashlib
import re
import socket

import pytest
from pyld import jsonld as pyld_jsonld

from certification.credentials import jsonld


def test_it_ships_the_files_listed_with_their_checksums_in_the_readme():
    readme = (jsonld.CONTEXTS_DIR / "README.md").read_text(encoding="utf-8")
    found = re.findall(r"^([0-9a-f]{64})  (\S+)$", readme, re.M)
    listed = {name: digest for digest, name in found}
    assert set(listed) == set(jsonld.SHIPPED_CONTEXTS.values())
    for name, digest in listed.items():
        assert hashlib.sha256((jsonld.CONTEXTS_DIR / name).read_bytes()).hexdigest() == digest


@pytest.fixture
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a network connection was attempted")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)


def test_it_refuses_a_context_it_does_not_ship_without_calling_out(no_network):
    document = {"@context": "https://example.org/context.jsonld", "name": "x"}
    with pytest.raises(jsonld.CanonicalisationError):
        jsonld.canonical_nquads(document)


def test_it_replaced_pyld_default_loader_for_the_whole_process(no_network):
    with pytest.raises(pyld_jsonld.JsonLdError):
        pyld_jsonld.expand({"@context": "https://schema.org/", "name": "x"})


def test_it_serves_every_shipped_context(no_network):
    for url in jsonld.SHIPPED_CONTEXTS:
        assert "@context" in jsonld.document_loader(url, {})["document"]
