"""The class folder graded once for every sandbox test that reads it (see ``graded.py``)."""

from __future__ import annotations

import pytest
from graded import grade_corpus


@pytest.fixture(scope="session")
def graded_corpus(tmp_path_factory):
    return grade_corpus(tmp_path_factory.mktemp("class"))
