"""The maintainers' command line: same checks as the data page, French messages, exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.import_edition import EXIT_OK, EXIT_OVERLAP, EXIT_REFUSED, EXIT_USAGE, main
from tests.official_formats import datagouv_csv


@pytest.fixture
def store_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PANORAMA_STORE_DIR", str(tmp_path / "magasin"))
    return tmp_path / "magasin"


def test_an_overlapping_official_file_waits_for_replace_then_lists_and_removes(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "export_2018.csv"
    export.write_bytes(datagouv_csv("2018-03", "2018-02-28"))
    assert main([str(export)]) == EXIT_OVERLAP
    out, err = capsys.readouterr()
    assert out.startswith("Édition 2018-02 (février 2018) : 61 projet(s), ")
    assert "ressemble à l'édition 2018-03 déjà chargée" in err
    assert "Relancez avec --replace pour la remplacer, ou --keep-separate pour garder les deux." in err
    assert not (store_dir / "manifest.json").exists()

    assert main([str(export), "--replace"]) == EXIT_OK
    out, _ = capsys.readouterr()
    assert (
        f"Édition 2018-03 (mars 2018) conservée dans « {store_dir} » : le fichier, lu comme 2018-02, remplace "
        "l'édition 2018-03 chargée." in out
    )

    assert main(["--list"]) == EXIT_OK
    out, _ = capsys.readouterr()
    assert out.startswith(
        "2018-03 (mars 2018) : 61 projets, fichier « export_2018.csv » (data.gouv.fr, lue comme 2018-02), importé le "
    )
    assert main(["--remove", "2018-03"]) == EXIT_OK
    assert capsys.readouterr().out == "Édition 2018-03 (fichier « export_2018.csv ») retirée du magasin.\n"
    assert main(["--remove", "2018-03"]) == EXIT_REFUSED
    assert capsys.readouterr().err == "Aucune édition 2018-03 conservée (éditions conservées : aucune).\n"


def test_a_refused_file_exits_1_with_located_french_errors(
    tmp_path: Path, store_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "mauvais.csv"
    bad.write_bytes(b"Nom;Montant\nA;1\n")
    assert main([str(bad), "--edition", "2022-07"]) == EXIT_REFUSED
    out, err = capsys.readouterr()
    assert out.startswith("Import refusé : 1 erreur(s) ; rien n'est modifié.")
    assert "erreur : Fichier « mauvais.csv », ligne 1 : format non reconnu" in err
    assert main([str(tmp_path / "absent.csv")]) == EXIT_REFUSED
    assert "absent.csv » illisible" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv", [[], ["x.csv", "--list"], ["--edition", "juillet"], ["x.csv", "--replace", "--keep-separate"]]
)
def test_wrong_arguments_exit_2(argv: list[str], store_dir: Path) -> None:
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == EXIT_USAGE
