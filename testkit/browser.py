"""Helpers for the browser tests."""

from django.test import Client


def sign_in(visitor, live_server, user) -> None:
    """Sign `user` in in the browser `visitor` without going through the sign-in form: a session made by
    Django's test client, handed to the browser as its cookie."""
    client = Client()
    client.force_login(user)
    visitor.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
