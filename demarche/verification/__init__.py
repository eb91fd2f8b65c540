"""The verifiable attestation de dépôt: signed codes, the QR code on the PDF, the public page /verifier,
and tombstones of purged references."""
