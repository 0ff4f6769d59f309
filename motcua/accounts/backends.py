from django.contrib.auth.backends import ModelBackend

from .phones import normalize_phone


class PhoneOrUsernameBackend(ModelBackend):
    """Citizens sign in with their phone number written any usual way; officers with a username."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username and (phone := normalize_phone(username)) and not username.isalpha():
            user = super().authenticate(request, username=phone, password=password, **kwargs)
            if user is not None:
                return user
        return super().authenticate(request, username=username, password=password, **kwargs)
