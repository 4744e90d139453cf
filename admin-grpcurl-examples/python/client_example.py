#!/usr/bin/env python3
"""Token Authority from Python: generate the stubs, log in, validate the access token at a sidecar,
then call one admin RPC (ListTokens) with an admin token.

Needs grpcio and grpcio-tools: Debian's python3-grpcio and python3-grpc-tools (what CI installs), or
`pip install grpcio grpcio-tools`. Run it against an authority started with --demo and a sidecar:

    python3 admin-grpcurl-examples/python/client_example.py

Environment (defaults in brackets): TA_TARGET [localhost:7070], TA_SIDECAR_TARGET [localhost:7171],
TA_CLIENT_ID [demo-app], TA_AUDIENCE [demo-api], TA_USER_EMAIL [alice@example.com],
TA_USER_PASSWORD [demo-password], TA_ADMIN_EMAIL [admin@example.com],
TA_ADMIN_PASSWORD [demo-admin-password], TA_STUBS_DIR [a temporary directory].
Prints one line per step; exits 1 (with the reason) if any step fails.
"""
import os
import pathlib
import re
import shutil
import sys
import tempfile

PROTO_ROOT = pathlib.Path(__file__).resolve().parents[2] / "proto" / "src" / "main" / "proto"


def generate_stubs(out_dir: pathlib.Path) -> None:
    """Compiles the API's .proto files into *_pb2.py and *_pb2_grpc.py modules under out_dir."""
    from grpc_tools import protoc

    # Debian bookworm's python3-grpc-tools bundles protoc 3.5, older than proto3's `optional` label
    # (protoc 3.15). Compile a copy without the label: the wire format is the same, only field
    # presence is lost on this side. With grpcio-tools from PyPI the originals compile as they are.
    source = out_dir / "proto"
    shutil.copytree(PROTO_ROOT, source, dirs_exist_ok=True)
    for path in source.rglob("*.proto"):
        path.write_text(re.sub(r"(?m)^(\s*)optional ", r"\1", path.read_text()))
    well_known = pathlib.Path(protoc.__file__).parent / "_proto"  # google/protobuf/*.proto
    files = [str(p.relative_to(source)) for p in sorted(source.rglob("*.proto"))]
    status = protoc.main(["grpc_tools.protoc", f"-I{source}", f"-I{well_known}", f"--python_out={out_dir}",
                          f"--grpc_python_out={out_dir}", *files])
    if status != 0:
        raise SystemExit(f"FAIL: grpc_tools.protoc exited with {status}")
    print(f"stubs generated in {out_dir}")


def main() -> int:
    env = os.environ.get
    stubs = pathlib.Path(env("TA_STUBS_DIR") or tempfile.mkdtemp(prefix="ta-python-stubs-"))
    generate_stubs(stubs)
    sys.path.insert(0, str(stubs))

    import grpc
    from tokenauthority.v1 import admin_pb2, admin_pb2_grpc, auth_pb2, auth_pb2_grpc
    from tokenauthority.v1 import validator_pb2, validator_pb2_grpc

    authority = grpc.insecure_channel(env("TA_TARGET", "localhost:7070"))
    sidecar = grpc.insecure_channel(env("TA_SIDECAR_TARGET", "localhost:7171"))
    auth = auth_pb2_grpc.AuthServiceStub(authority)

    email = env("TA_USER_EMAIL", "alice@example.com")
    pair = auth.Login(auth_pb2.LoginRequest(client_id=env("TA_CLIENT_ID", "demo-app"), username=email,
                                            password=env("TA_USER_PASSWORD", "demo-password")), timeout=30)
    print(f"logged in {email}: session {pair.session_id}, refresh token {pair.refresh_token_id}")

    decision = validator_pb2_grpc.ValidatorServiceStub(sidecar).Validate(
        validator_pb2.ValidateRequest(token=pair.access_token, audience=env("TA_AUDIENCE", "demo-api")), timeout=30)
    if not decision.valid:
        print(f"FAIL: the sidecar denied the access token: {validator_pb2.DenialReason.Name(decision.reason)}")
        return 1
    print(f"the sidecar accepts the access token: subject {decision.subject}, scopes {' '.join(decision.scopes)}")

    admin_pair = auth.Login(auth_pb2.LoginRequest(client_id="admin-cli", username=env("TA_ADMIN_EMAIL", "admin@example.com"),
                                                  password=env("TA_ADMIN_PASSWORD", "demo-admin-password"),
                                                  audience="token-authority-admin"), timeout=30)
    admin = admin_pb2_grpc.AdminServiceStub(authority)
    page = admin.ListTokens(admin_pb2.ListTokensRequest(query=email, page_size=10), timeout=30,
                            metadata=[("authorization", f"Bearer {admin_pair.access_token}")])
    if not any(t.token_id == pair.refresh_token_id for t in page.tokens):
        print(f"FAIL: ListTokens for {email} does not show {pair.refresh_token_id}")
        return 1
    print(f"ListTokens: {page.total_size} token(s) of {email}, the new one among them")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Exception as e:  # an RpcError names the status and the server's description
        print(f"FAIL: {e}")
        sys.exit(1)
