"""Signed credentials: the TST® certificate and the training attestations as Open Badges 3.0
verifiable credentials (W3C VC Data Model 2.0, Data Integrity proof `eddsa-rdfc-2022`), the
issuer's did:web document and keys, the published Bitstring Status Lists, and the verification of
a credential file.

Its public face:
- `services.certificate_credential(certificate)` / `services.attestation_credential(attestation)`:
  the signed credential a holder downloads;
- `services.status_entries_ensure(certificate=…)`: a certificate's indexes in the status lists,
  drawn in the transaction that issues it; `services.status_bits_apply(certificate=…)`: the bits
  set from its status, inside the transaction of `certificate_change_status`;
- `services.signed_status_list(status_list)`: a list signed with the bits its credentials read
  at that moment (`selectors.served_bits`: a certificate past its end reads expired before the
  daily run records it);
- `verification.verify_file(data)`: what a credential file proves today (page and API);
- `urls.urlpatterns` (DID document, issuer, achievements, status lists: fixed addresses) and
  `urls.page_patterns` (the verification page);
- `keys.issuer_did()`, `keys.signing_key()`.
"""
