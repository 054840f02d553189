"""Signing keys: each signatory office's PKCS#12 file, and the demo certificate
authority that makes them on laptops and in the demo (workflow.signing signs with them)."""

import datetime as dt
import logging
import os
import tempfile
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings
from pyhanko.sign import signers

from compliance.errors import Conflict
from compliance.models import OfficeKind

from .messages import Message

log = logging.getLogger(__name__)

DEMO_CA_NAME = "CA Demo Kepatuhan KTP-el — BUKAN UNTUK PRODUKSI"
DEMO_CA_NOTE = "demo, not for production"
DEMO_CA_KEY_FILE = "ca-demo.p12"  # the CA's own key: issues the keys of offices added later
DEMO_CA_CERT_FILE = "ca-demo.pem"  # the trust root verification uses by default
DEMO_KEY_PASSWORD = "Demo-KTPel-2017"  # noqa: S105 (published, like the demo users' password)
DEMO_MARK = "TANDA TANGAN DEMO / DEMO SIGNATURE"
# Demo certificates span the demo's 2017 story and any date the tests move the clock to.
DEMO_VALID_FROM = dt.datetime(2010, 1, 1, tzinfo=dt.UTC)
DEMO_VALID_UNTIL = dt.datetime(2099, 12, 31, tzinfo=dt.UTC)


# --- keys ---------------------------------------------------------------------------


def key_file_name(office):
    """The PKCS#12 file holding `office`'s signing key: menteri.p12, gubernur-15.p12;
    any other office by its kind and id (only these two kinds sign letters today)."""
    if office.kind == OfficeKind.MINISTER:
        return "menteri.p12"
    if office.kind == OfficeKind.GOVERNOR:
        return f"gubernur-{office.province.code}.p12"
    return f"{office.kind.replace('_', '-')}-{office.pk}.p12"


def keys_dir():
    return Path(settings.SIGNING_KEYS_DIR)


def trust_roots_file():
    configured = getattr(settings, "SIGNING_TRUST_ROOTS", "")
    return Path(configured) if configured else keys_dir() / DEMO_CA_CERT_FILE


def _password():
    return (getattr(settings, "SIGNING_KEY_PASSWORD", "") or DEMO_KEY_PASSWORD).encode()


def load_signer(office):
    """A signer with the office's key and certificate chain; on a laptop (SIGNING_DEMO_KEYS,
    on with DEBUG) a missing key is made by the demo CA, in production it is a configuration
    error the signer must see."""
    path = keys_dir() / key_file_name(office)
    if not path.is_file() and settings.SIGNING_DEMO_KEYS:
        ensure_demo_keys([office])
    if not path.is_file():
        raise Conflict(Message("signing_key_missing", office=office.title, path=str(path)))
    try:
        return signers.SimpleSigner.load_pkcs12_data(
            path.read_bytes(), other_certs=[], passphrase=_password()
        )
    except ValueError:
        raise Conflict(Message("signing_key_unreadable", path=str(path))) from None


# --- the demo certificate authority ---------------------------------------------


def _name(common_name, organisation):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


DEMO_CA_SUBJECT = _name(DEMO_CA_NAME, DEMO_CA_NOTE)


def _certificate(subject, key, issuer, issuer_key, *, ca):
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(DEMO_VALID_FROM)
        .not_valid_after(DEMO_VALID_UNTIL)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
    )
    if ca:
        usage = {"key_cert_sign": True, "crl_sign": True, "digital_signature": False}
    else:
        usage = {"key_cert_sign": False, "crl_sign": False, "digital_signature": True}
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer_key.public_key()), False
        ).add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), False)
    builder = builder.add_extension(
        x509.KeyUsage(
            content_commitment=not ca,
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            encipher_only=False,
            decipher_only=False,
            **usage,
        ),
        critical=True,
    )
    return builder.sign(issuer_key, hashes.SHA256())


def _pkcs12(name, key, cert, chain=()):
    encryption = serialization.BestAvailableEncryption(_password())
    return pkcs12.serialize_key_and_certificates(
        name.encode(), key, cert, list(chain) or None, encryption
    )


def _write_once(path, data):
    """Write `path` unless it exists; the first of two concurrent writers wins and both
    then read its file (two demo CAs at once would leave keys that chain to neither)."""
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        tmp.write(data)
    try:
        os.link(tmp.name, path)
    except FileExistsError:
        pass
    finally:
        os.unlink(tmp.name)
    return path.read_bytes()


def _replace(path, data):
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False) as tmp:
        tmp.write(data)
    os.replace(tmp.name, path)


def _demo_ca(directory):
    key = ec.generate_private_key(ec.SECP256R1())
    cert = _certificate(DEMO_CA_SUBJECT, key, DEMO_CA_SUBJECT, key, ca=True)
    data = _write_once(directory / DEMO_CA_KEY_FILE, _pkcs12("ca-demo", key, cert))
    key, cert, _ = pkcs12.load_key_and_certificates(data, _password())
    pem = cert.public_bytes(serialization.Encoding.PEM)
    pem_path = directory / DEMO_CA_CERT_FILE
    if not pem_path.is_file() or pem_path.read_bytes() != pem:
        _replace(pem_path, pem)
    return key, cert


def _issued_by(path, ca_cert):
    """Whether the office key at `path` exists and chains to this demo CA."""
    if not path.is_file():
        return False
    try:
        _, cert, _ = pkcs12.load_key_and_certificates(path.read_bytes(), _password())
        cert.verify_directly_issued_by(ca_cert)
    except (ValueError, TypeError, InvalidSignature):
        return False
    return True


def ensure_demo_keys(offices, *, directory=None):
    """Create, once, the demo CA and a demo key for each office in `offices` (PKCS#12 in
    SIGNING_KEYS_DIR, or `directory`), plus the CA's PEM. Returns the office key paths.
    A key that does not chain to the demo CA on file (a CA deleted since) is replaced."""
    directory = Path(directory or keys_dir())
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = _demo_ca(directory)
    paths = []
    for office in offices:
        path = directory / key_file_name(office)
        if not _issued_by(path, ca_cert):
            key = ec.generate_private_key(ec.SECP256R1())
            subject = _name(office.title, "Kementerian Dalam Negeri (demo)")
            cert = _certificate(subject, key, ca_cert.subject, ca_key, ca=False)
            _replace(path, _pkcs12(path.stem, key, cert, [ca_cert]))
            log.info("demo signing key written: %s", path)
        paths.append(path)
    return paths


def is_demo(cert):
    """A certificate issued by the demo CA (cryptography or asn1crypto certificate)."""
    if isinstance(cert, asn1_x509.Certificate):
        cert = x509.load_der_x509_certificate(cert.dump())
    return cert.issuer == DEMO_CA_SUBJECT or cert.subject == DEMO_CA_SUBJECT


def on_demo_loaded(sender, **kwargs):
    """seed_demo: keys for the offices that sign the demo's letters (the governors of
    Jambi, province 15, and the Minister), so that `make run` signs without setup."""
    from compliance.models import Office

    from .letters import minister_office

    governors = Office.objects.filter(kind=OfficeKind.GOVERNOR, province__code="15")
    ensure_demo_keys([*governors.select_related("province"), minister_office()])
