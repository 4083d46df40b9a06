"""Verify a jpki-bridge login token (jpki-bridge:1) in Python with `cryptography` alone.

    python3 verify_token.py auth-tokens.json     # the test vectors of @jpki-bridge/verifier

verify_token() is the recipe; main() runs it over the vectors file and prints one JSON line per
vector ({"name", "verdict", "reason"}). Works with Debian 12's python3-cryptography (38) and later.
Production: trust the J-LIS roots and the JPKI authentication policy OID, not the development CA;
check revocation with J-LIS's CRL; take the nonce from the session and accept it once.
"""
import base64
import datetime
import hashlib
import json
import sys

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric import padding

TOKEN_FORMAT = "jpki-bridge:1"
TOKEN_ALGORITHM = "RS256-JPKI-BLOCK"
BLOCK_LABEL = b"jpki-bridge/auth/1\x00"


def auth_block(origin: str, nonce: str) -> bytes:
    """The signed data: the label, then SHA-256(SHA-256(origin) || SHA-256(nonce))."""
    sha = lambda data: hashlib.sha256(data).digest()
    return BLOCK_LABEL + sha(sha(origin.encode()) + sha(nonce.encode()))


def _utc(naive_or_aware):
    return naive_or_aware if naive_or_aware.tzinfo else naive_or_aware.replace(tzinfo=datetime.timezone.utc)


def _issued_by(leaf, issuer) -> bool:
    try:
        issuer.public_key().verify(leaf.signature, leaf.tbs_certificate_bytes, padding.PKCS1v15(), leaf.signature_hash_algorithm)
        return True
    except InvalidSignature:
        return False


def verify_token(token: dict, origin: str, nonce: str, anchors: list, auth_policy_oid: str, at: datetime.datetime) -> str:
    """Returns "valid" or raises ValueError with the reason."""
    if token.get("format") != TOKEN_FORMAT or token.get("algorithm") != TOKEN_ALGORITHM:
        raise ValueError("unknown token format")

    leaf = x509.load_der_x509_certificate(base64.b64decode(token["unverifiedCertificate"]))
    # The issuer must be one of the anchors, by name and by signature (names alone can repeat).
    if not any(_issued_by(leaf, a) for a in anchors if a.subject == leaf.issuer):
        raise ValueError("issuer is not trusted")
    before = _utc(getattr(leaf, "not_valid_before_utc", None) or leaf.not_valid_before)
    after = _utc(getattr(leaf, "not_valid_after_utc", None) or leaf.not_valid_after)
    if not before <= at <= after:
        raise ValueError("certificate not valid at this time")
    policies = leaf.extensions.get_extension_for_class(x509.CertificatePolicies).value
    if auth_policy_oid not in [p.policy_identifier.dotted_string for p in policies]:
        raise ValueError("not an authentication certificate")
    # RSA PKCS#1 v1.5 without DigestInfo: the recovered bytes must be exactly the block.
    try:
        recovered = leaf.public_key().recover_data_from_signature(base64.b64decode(token["signature"]), padding.PKCS1v15(), None)
    except (InvalidSignature, ValueError):
        raise ValueError("signature invalid")
    if recovered != auth_block(origin, nonce):
        raise ValueError("signature is not over this origin and nonce")
    return "valid"


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        vectors = json.load(f)
    anchors = [x509.load_pem_x509_certificate(pem.encode()) for pem in vectors["trustAnchors"]]
    at = datetime.datetime.fromisoformat(vectors["verifyAt"].replace("Z", "+00:00"))
    for v in vectors["vectors"]:
        try:
            verdict, reason = verify_token(v["token"], v["origin"], v["challengeNonce"], anchors, vectors["authPolicyOid"], at), ""
        except ValueError as error:
            verdict, reason = "invalid", str(error)
        print(json.dumps({"name": v["name"], "verdict": verdict, "reason": reason}))


if __name__ == "__main__":
    main(sys.argv[1])
