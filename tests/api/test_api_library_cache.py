"""The server's library cache: documents by name from the listing it keeps, a vanished file named as such."""

from __future__ import annotations

import pytest

from api.scenario_input import LibraryCache
from twin.scenario import ScenarioError
from twin.scenario.library import library_path


@pytest.mark.unit
def test_a_listed_document_is_read_once_and_a_removed_one_is_refused(tmp_path, monkeypatch):
    (tmp_path / "alpha.yaml").write_text(library_path("oxide_baseline").read_text(encoding="utf-8"),
                                         encoding="utf-8")
    monkeypatch.setenv("SSB_TWIN_SCENARIO_DIR", str(tmp_path))
    library = LibraryCache()
    first = library.shared_document("alpha")
    assert first["name"] and library.shared_document("alpha") is first  # cached, not re-read
    # removed after the listing was read (it is re-read only every LISTING_TTL_S): the error names it
    (tmp_path / "alpha.yaml").unlink()
    with pytest.raises(ScenarioError, match="'alpha' is not in the library"):
        library.shared_document("alpha")
    with pytest.raises(ScenarioError, match="'beta' is not in the library"):
        library.shared_document("beta")
