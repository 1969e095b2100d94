#!/usr/bin/env python3
"""Mints local-mode access tokens (HS256, the shape LocalTokenIssuer issues) for seeded users 1..N.

Usage: mint_tokens.py SECRET N [ISSUER] > tokens.txt   (one "user_id token" per line)
User n has id 00000000-0000-4000-9000-%012x (bench/feed/seed.sql). Tokens live 12 hours.
"""
import base64, hashlib, hmac, json, sys, time, uuid

def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

def main() -> None:
    secret, count = sys.argv[1].encode(), int(sys.argv[2])
    issuer = sys.argv[3] if len(sys.argv) > 3 else "http://localhost:8080/auth/v1"
    now = int(time.time())
    header = b64(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    for n in range(1, count + 1):
        sub = "00000000-0000-4000-9000-%012x" % n
        payload = {"sub": sub, "email": f"user{n}@bench.test", "role": "authenticated", "aud": "authenticated",
                   "iss": issuer, "iat": now, "nbf": now, "exp": now + 12 * 3600, "session_id": str(uuid.uuid4())}
        body = b64(json.dumps(payload, separators=(",", ":")).encode())
        sig = b64(hmac.new(secret, f"{header}.{body}".encode(), hashlib.sha256).digest())
        print(f"{sub} {header}.{body}.{sig}")

if __name__ == "__main__":
    main()
