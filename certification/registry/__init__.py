"""The public registry: certified practitioners who chose to be listed (with the fields they
chose to show), the verification of any certificate by its number, and the JSON API that partner
sites call. Its model belongs to the certification app (same label, same table).

Its public face, for the rest of the code:

- selectors: `registry_certificates(...)` (the search), `public_certificate(number)`,
  `listed_profile(slug)`, `holder_certificate(user)`, `normalise_number(text)`;
- services: `registry_profile_get_or_create(holder)`, `registry_profile_update(...)`,
  `registry_contact_send(...)`;
- cache: `invalidate()`, called by its signal receivers whenever a shown fact changes;
- privacy: `RegistryData`, the provider of personal data (export, erasure) that the app
  registers with institut.privacy.
"""
