import pytest
from pydantic import ValidationError

from haat.secret_box import SecretBox, UnreadableSecret
from haat.settings import PUBLISHED_SECRET, CommonSettings

pytestmark = pytest.mark.fast


def test_sealed_secrets_open_only_with_a_configured_key_and_survive_rotation() -> None:
    old = SecretBox("first-key")
    sealed = old.seal({"client_secret": "s3cr3t", "refresh_token": "Atzr|abc"})
    assert "s3cr3t" not in sealed
    assert "Atzr" not in sealed
    assert old.open(sealed) == {"client_secret": "s3cr3t", "refresh_token": "Atzr|abc"}

    rotated_box = SecretBox("second-key,first-key")  # new key first, old one still opens
    assert rotated_box.open(sealed)["client_secret"] == "s3cr3t"
    resealed = rotated_box.rotate(sealed)
    assert SecretBox("second-key").open(resealed)["refresh_token"] == "Atzr|abc"
    with pytest.raises(UnreadableSecret):
        SecretBox("another-key").open(sealed)


def test_production_refuses_the_published_encryption_key() -> None:
    with pytest.raises(ValidationError, match="HAAT_ENCRYPTION_KEYS"):
        CommonSettings(environment="production", internal_token_secret="x" * 40, kafka_bootstrap_servers="kafka-0:9092",
                       encryption_keys=PUBLISHED_SECRET)  # fmt: skip
