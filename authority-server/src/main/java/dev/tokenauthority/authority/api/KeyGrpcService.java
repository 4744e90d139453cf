package dev.tokenauthority.authority.api;

import dev.tokenauthority.api.v1.GetJwksRequest;
import dev.tokenauthority.api.v1.Jwks;
import dev.tokenauthority.api.v1.KeyServiceGrpc;
import dev.tokenauthority.api.v1.RevokeSigningKeyRequest;
import dev.tokenauthority.api.v1.RewrapSigningKeysRequest;
import dev.tokenauthority.api.v1.RewrapSigningKeysResponse;
import dev.tokenauthority.api.v1.RotateSigningKeyRequest;
import dev.tokenauthority.api.v1.SigningKeyInfo;
import dev.tokenauthority.authority.access.Permission;
import dev.tokenauthority.authority.keys.SigningKey;
import dev.tokenauthority.authority.keys.SigningKeyRewrap;
import dev.tokenauthority.authority.keys.KeySetFreshness;
import dev.tokenauthority.authority.keys.SigningKeys;
import io.grpc.stub.StreamObserver;

/**
 * KeyService over gRPC: the public JWK set, and key rotation, revocation and re-encryption under the
 * current key-encryption key for admins holding keys:write.
 */
public final class KeyGrpcService extends KeyServiceGrpc.KeyServiceImplBase {

    private final SigningKeys keys;
    private final SigningKeyRewrap rewrap;
    private final AdminCalls calls;
    private final KeySetFreshness freshness;

    public KeyGrpcService(SigningKeys keys, KeySetFreshness freshness, SigningKeyRewrap rewrap, AdminCalls calls) {
        this.keys = keys;
        this.freshness = freshness;
        this.rewrap = rewrap;
        this.calls = calls;
    }

    @Override
    public void getJwks(GetJwksRequest request, StreamObserver<Jwks> observer) {
        GrpcCalls.unary(observer, () -> {
            freshness.requireFresh();
            Jwks.Builder jwks = Jwks.newBuilder().setJwksJson(keys.jwksJson());
            keys.published().forEach(key -> jwks.addKeys(toInfo(key)));
            return jwks.build();
        });
    }

    @Override
    public void rotateSigningKey(RotateSigningKeyRequest request, StreamObserver<SigningKeyInfo> observer) {
        calls.unary(observer, Permission.KEYS_WRITE, context ->
                toInfo(keys.rotate(context, RequestFields.reason("reason", request.getReason()))));
    }

    @Override
    public void revokeSigningKey(RevokeSigningKeyRequest request, StreamObserver<SigningKeyInfo> observer) {
        calls.unary(observer, Permission.KEYS_WRITE, context -> toInfo(keys.revoke(context,
                RequestFields.required("kid", request.getKid()), RequestFields.reason("reason", request.getReason()))));
    }

    @Override
    public void rewrapSigningKeys(RewrapSigningKeysRequest request, StreamObserver<RewrapSigningKeysResponse> observer) {
        calls.unary(observer, Permission.KEYS_WRITE, context -> {
            SigningKeyRewrap.Result result = rewrap.rewrap(context, RequestFields.reason("reason", request.getReason()));
            return RewrapSigningKeysResponse.newBuilder()
                    .setRewrappedCount(result.rewrapped())
                    .setKekId(result.kekId())
                    .build();
        });
    }

    private static SigningKeyInfo toInfo(SigningKey key) {
        SigningKeyInfo.Builder info = SigningKeyInfo.newBuilder()
                .setKid(key.kid())
                .setAlg(key.alg())
                .setCreatedAt(Timestamps.of(key.createdAt()))
                .setPublicJwkJson(key.publicJwkJson());
        if (key.retiredAt() != null) {
            info.setRetiredAt(Timestamps.of(key.retiredAt()));
        }
        if (key.revokedAt() != null) {
            info.setRevokedAt(Timestamps.of(key.revokedAt()));
        }
        return info.build();
    }
}
