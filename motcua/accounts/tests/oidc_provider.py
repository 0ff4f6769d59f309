"""A small, real OpenID Connect provider on 127.0.0.1 for the VNeID tests (the real one is not reachable).

It serves discovery, a JWKS with an RSA key made by the tests, /authorize (the citizen's consent is
simulated: it redirects straight back with a code, or with access_denied), /token (checks the client's
credentials, the code, the redirect URI and the PKCE verifier, and returns an RS256-signed ID token) and
/userinfo. `mode` makes it misbehave the ways a real provider, or an attacker in between, could.
"""

import base64
import hashlib
import json
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from joserfc import jwt
from joserfc.jwk import RSAKey

MODES = {
    "ok",
    "deny",  # the citizen presses "Hủy" at VNeID
    "wrong_nonce",
    "wrong_audience",
    "wrong_issuer",  # the ID token names another issuer
    "expired",
    "bad_signature",  # signed by another key under the same key id
    "unknown_key",  # signed by a key the JWKS does not have
    "hs256",  # signed with HMAC using the client secret, a classic downgrade
    "no_id_token",
    "claims_in_userinfo",  # the ID token carries only `sub`; the rest is at /userinfo
    "userinfo_other_sub",
    "token_500",
    "down",  # every endpoint answers 500
    "discovery_other_issuer",
}


CLIENT_ID = "motcua"
CLIENT_SECRET = "bi-mat-cua-xa-vinh-linh-khong-chia-se"


def new_key(kid: str = "vneid-test-1") -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


class OidcProvider:
    def __init__(self, key: RSAKey, *, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET):
        self.key = key
        self.client_id = client_id
        self.client_secret = client_secret
        self.mode = "ok"
        self.claims: dict = {}  # the citizen who consents: name, phone_number, ... (sub included)
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.calls: list[str] = []  # "GET /authorize", "POST /token", ...
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self.issuer = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)
        self._stopped = False

    def start(self) -> "OidcProvider":
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.shutdown()
        self._server.server_close()

    # --- what it serves ----------------------------------------------------------------------------------
    def discovery(self) -> dict:
        return {
            "issuer": "https://sso.example.vn" if self.mode == "discovery_other_issuer" else self.issuer,
            "authorization_endpoint": self.issuer + "/authorize",
            "token_endpoint": self.issuer + "/token",
            "userinfo_endpoint": self.issuer + "/userinfo",
            "jwks_uri": self.issuer + "/jwks",
            "response_types_supported": ["code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256", "HS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
            "scopes_supported": ["openid", "profile", "phone"],
        }

    def authorize(self, query: dict) -> tuple[int, dict, str]:
        redirect_uri = query.get("redirect_uri", "")
        problems = [
            name
            for name, ok in [
                ("response_type", query.get("response_type") == "code"),
                ("client_id", query.get("client_id") == self.client_id),
                ("redirect_uri", redirect_uri.startswith(("http://", "https://"))),
                ("scope", "openid" in query.get("scope", "").split()),
                ("state", bool(query.get("state"))),
                ("nonce", bool(query.get("nonce"))),
                ("code_challenge", bool(query.get("code_challenge"))),
                ("code_challenge_method", query.get("code_challenge_method") == "S256"),
            ]
            if not ok
        ]
        if problems:
            return 400, {}, "bad authorization request: " + ", ".join(problems)
        if self.mode == "deny":
            back = {"error": "access_denied", "error_description": "Người dùng hủy", "state": query["state"]}
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = dict(query)
            back = {"code": code, "state": query["state"]}
        location = redirect_uri + ("&" if "?" in redirect_uri else "?") + urllib.parse.urlencode(back)
        return 302, {"Location": location}, ""

    def token(self, form: dict, authorization: str) -> tuple[int, dict]:
        if self.mode == "token_500":
            return 500, {"error": "server_error"}
        client_id, secret = form.get("client_id"), form.get("client_secret")
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization[6:]).decode()
            client_id, _, secret = (urllib.parse.unquote(part) for part in decoded.partition(":"))
        if client_id != self.client_id or secret != self.client_secret:
            return 401, {"error": "invalid_client"}
        asked = self.codes.pop(form.get("code", ""), None)  # a code works once
        if asked is None or form.get("grant_type") != "authorization_code":
            return 400, {"error": "invalid_grant"}
        if form.get("redirect_uri") != asked["redirect_uri"]:
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        verifier = form.get("code_verifier", "")
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        if not verifier or challenge != asked["code_challenge"]:
            return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        access_token = secrets.token_urlsafe(24)
        self.tokens[access_token] = dict(self.claims)
        body = {"access_token": access_token, "token_type": "Bearer", "expires_in": 300}
        if self.mode != "no_id_token":
            body["id_token"] = self.id_token(nonce=asked["nonce"])
        return 200, body

    def id_token(self, *, nonce: str) -> str:
        now = int(time.time())
        claims = {"iss": self.issuer, "aud": self.client_id, "iat": now, "exp": now + 300, "nonce": nonce}
        claims.update(self.claims if self.mode != "claims_in_userinfo" else {"sub": self.claims["sub"]})
        key, algorithm, kid = self.key, "RS256", self.key.kid
        if self.mode == "wrong_nonce":
            claims["nonce"] = "not-the-nonce-motcua-sent"
        elif self.mode == "wrong_audience":
            claims["aud"] = "another-service"
        elif self.mode == "wrong_issuer":
            claims["iss"] = "https://attacker.example"
        elif self.mode == "expired":
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        elif self.mode == "bad_signature":
            key = new_key(kid)
        elif self.mode == "unknown_key":
            key = new_key(kid := "not-in-the-jwks")
        elif self.mode == "hs256":
            from joserfc.jwk import OctKey

            key, algorithm = OctKey.import_key(self.client_secret), "HS256"
        return jwt.encode({"alg": algorithm, "kid": kid}, claims, key, algorithms=[algorithm])

    def userinfo(self, authorization: str) -> tuple[int, dict]:
        claims = self.tokens.get(authorization.removeprefix("Bearer "))
        if claims is None:
            return 401, {"error": "invalid_token"}
        if self.mode == "userinfo_other_sub":
            claims = {**claims, "sub": "someone-else"}
        return 200, claims

    # --- HTTP ----------------------------------------------------------------------------------------
    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # keep the test output quiet
                pass

            def _send(self, status: int, body, headers: dict | None = None) -> None:
                data = json.dumps(body).encode() if isinstance(body, dict) else str(body).encode()
                self.send_response(status)
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                content_type = "application/json" if isinstance(body, dict) else "text/plain; charset=utf-8"
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                provider.calls.append(f"GET {url.path}")
                if provider.mode == "down":
                    return self._send(500, "Internal Server Error")
                query = dict(urllib.parse.parse_qsl(url.query))
                if url.path == "/.well-known/openid-configuration":
                    return self._send(200, provider.discovery())
                if url.path == "/jwks":
                    return self._send(200, {"keys": [provider.key.as_dict(private=False)]})
                if url.path == "/authorize":
                    status, headers, text = provider.authorize(query)
                    return self._send(status, text, headers)
                if url.path == "/userinfo":
                    return self._send(*provider.userinfo(self.headers.get("Authorization", "")))
                return self._send(404, "not found")

            def do_POST(self):
                url = urllib.parse.urlsplit(self.path)
                provider.calls.append(f"POST {url.path}")
                length = int(self.headers.get("Content-Length") or 0)
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
                if provider.mode == "down":
                    return self._send(500, "Internal Server Error")
                if url.path == "/token":
                    status, body = provider.token(form, self.headers.get("Authorization", ""))
                    if status == 500:
                        return self._send(500, "Internal Server Error")
                    return self._send(status, body, {"Cache-Control": "no-store"})
                return self._send(404, "not found")

        return Handler
