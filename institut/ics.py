"""What the apps' iCalendar files share: a person as a calendar address."""

from __future__ import annotations

from icalendar import vCalAddress, vText


def person_address(user) -> vCalAddress:
    """The person as an organizer: their e-mail address and their name."""
    address = vCalAddress(f"mailto:{user.email}")
    address.params["cn"] = vText(user.full_name or user.email)
    return address


def attendee_address(user) -> vCalAddress:
    """The person as a participant who accepted."""
    address = person_address(user)
    address.params["role"] = vText("REQ-PARTICIPANT")
    address.params["partstat"] = vText("ACCEPTED")
    return address
