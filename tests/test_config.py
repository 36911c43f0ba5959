import pytest

from pipeline.config import env_names, load_settings
from pipeline.errors import ConfigError


def test_defaults_load_and_derive_data_locations(tmp_path):
    s = load_settings(env={}, cwd=tmp_path)
    assert s.paths.inbox == tmp_path / "inbox"
    assert s.ocr.languages == "ita+eng"
    assert s.store_path == tmp_path / "data" / "store"
    assert s.index_path == tmp_path / "data" / "index.sqlite3"
    assert s.workers.processes >= 1


def test_environment_overrides_file_which_overrides_defaults(tmp_path):
    cfg = tmp_path / "conf" / "archivio.toml"
    cfg.parent.mkdir()
    cfg.write_text('[watch]\npolling = true\nsettle_seconds = 7\n[paths]\ninbox = "scans"\n')
    s = load_settings(cfg, env={"ARCHIVIO_WATCH_SETTLE_SECONDS": "3.5"}, cwd=tmp_path)
    assert s.watch.polling is True
    assert s.watch.settle_seconds == 3.5
    # a relative path in a file is taken from the file's folder, not the current one
    assert s.paths.inbox == cfg.parent / "scans"


def test_environment_list_values_are_comma_separated(tmp_path):
    s = load_settings(env={"ARCHIVIO_WATCH_IGNORE": "*.tmp, ~$*"}, cwd=tmp_path)
    assert s.watch.ignore == ["*.tmp", "~$*"]


def test_bad_value_names_the_setting_and_where_it_came_from(tmp_path):
    with pytest.raises(ConfigError) as err:
        load_settings(env={"ARCHIVIO_WORKERS_COUNT": "-2"}, cwd=tmp_path)
    message = str(err.value)
    assert "workers.count" in message and "ARCHIVIO_WORKERS_COUNT" in message


def test_unknown_setting_in_a_file_is_refused(tmp_path):
    cfg = tmp_path / "a.toml"
    cfg.write_text("[watch]\npoling = true\n")
    with pytest.raises(ConfigError, match=r"watch\.poling: unknown setting"):
        load_settings(cfg, env={}, cwd=tmp_path)


def test_missing_config_file_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="configuration file not found"):
        load_settings(tmp_path / "nope.toml", env={}, cwd=tmp_path)


def test_invalid_toml_is_reported_with_the_file(tmp_path):
    cfg = tmp_path / "broken.toml"
    cfg.write_text("[watch\n")
    with pytest.raises(ConfigError, match="broken.toml is not valid TOML"):
        load_settings(cfg, env={}, cwd=tmp_path)


def test_every_setting_has_an_environment_name():
    names = dict(env_names())
    assert names["paths.inbox"] == "ARCHIVIO_PATHS_INBOX"
    assert names["ocr.languages"] == "ARCHIVIO_OCR_LANGUAGES"
    assert all(v.startswith("ARCHIVIO_") for v in names.values())


def test_paths_inside_a_list_of_tables_are_taken_from_the_files_folder(tmp_path):
    cfg = tmp_path / "conf" / "archivio.toml"
    cfg.parent.mkdir()
    (cfg.parent / "secrets").mkdir()
    (cfg.parent / "secrets" / "pec").write_text("s3greta\n")
    cfg.write_text('[[mail.accounts]]\nname = "pec"\nhost = "imap.example.it"\nuser = "u"\n'
                   'password_file = "secrets/pec"\nca_bundle = "ca.pem"\n'
                   '[[mail.accounts]]\nname = "abs"\nhost = "h"\nuser = "u"\npassword_file = "/run/secrets/x"\n')
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    pec, absolute = load_settings(cfg, env={}, cwd=elsewhere).mail.accounts
    assert pec.password_file == cfg.parent / "secrets" / "pec" and pec.password() == "s3greta"
    assert pec.ca_bundle == cfg.parent / "ca.pem"
    assert str(absolute.password_file) == "/run/secrets/x"
