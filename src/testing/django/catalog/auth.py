"""Bearer tokens (HS256 with JWT_SECRET) as DRF authentication: the user is the token's `sub`."""
import os
from types import SimpleNamespace

import jwt
from rest_framework import authentication, exceptions


class BearerAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if not header.startswith("Bearer "):
            return None
        try:
            claims = jwt.decode(header[7:], os.environ.get("JWT_SECRET", ""), algorithms=["HS256"])
        except jwt.PyJWTError:
            raise exceptions.AuthenticationFailed("Invalid token.")
        return (SimpleNamespace(is_authenticated=True, username=claims["sub"]), claims)

    def authenticate_header(self, request):
        return "Bearer"
