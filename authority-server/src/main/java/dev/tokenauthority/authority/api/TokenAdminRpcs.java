package dev.tokenauthority.authority.api;

import static dev.tokenauthority.authority.api.RequestFields.reason;
import static dev.tokenauthority.authority.api.RequestFields.required;

import com.google.protobuf.ByteString;
import dev.tokenauthority.api.v1.AccessTokenInfo;
import dev.tokenauthority.api.v1.AdminServiceGrpc;
import dev.tokenauthority.api.v1.BatchRevokePreview;
import dev.tokenauthority.api.v1.BatchRevokeResult;
import dev.tokenauthority.api.v1.BatchRevokeTokensRequest;
import dev.tokenauthority.api.v1.BatchRevokeTokensResponse;
import dev.tokenauthority.api.v1.DeleteTokenRequest;
import dev.tokenauthority.api.v1.DeleteTokenResponse;
import dev.tokenauthority.api.v1.ExportChunk;
import dev.tokenauthority.api.v1.ExportFormat;
import dev.tokenauthority.api.v1.ExportTokensRequest;
import dev.tokenauthority.api.v1.GetTokenRequest;
import dev.tokenauthority.api.v1.ListSessionsRequest;
import dev.tokenauthority.api.v1.ListSessionsResponse;
import dev.tokenauthority.api.v1.ListTokensRequest;
import dev.tokenauthority.api.v1.ListTokensResponse;
import dev.tokenauthority.api.v1.ResumeTokenRequest;
import dev.tokenauthority.api.v1.SessionInfo;
import dev.tokenauthority.api.v1.SuspendTokenRequest;
import dev.tokenauthority.api.v1.Token;
import dev.tokenauthority.api.v1.TokenDetails;
import dev.tokenauthority.api.v1.UpdateTokenRequest;
import dev.tokenauthority.authority.AuthorityException;
import dev.tokenauthority.authority.access.Permission;
import dev.tokenauthority.authority.audit.CallContext;
import dev.tokenauthority.authority.listing.ListOrder;
import dev.tokenauthority.authority.session.SessionColumn;
import dev.tokenauthority.authority.session.SessionListing;
import dev.tokenauthority.authority.session.SessionQuery;
import dev.tokenauthority.authority.token.Session;
import dev.tokenauthority.authority.token.SessionStatus;
import dev.tokenauthority.authority.tokens.BulkRevocation;
import dev.tokenauthority.authority.tokens.TokenAdministration;
import dev.tokenauthority.authority.tokens.TokenColumn;
import dev.tokenauthority.authority.tokens.TokenExport;
import dev.tokenauthority.authority.tokens.TokenListItem;
import dev.tokenauthority.authority.tokens.TokenListing;
import dev.tokenauthority.authority.tokens.TokenQuery;
import dev.tokenauthority.authority.fleet.AppliedWait;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Token and session administration over gRPC. */
public final class TokenAdminRpcs {

    static final ListOrder<TokenColumn> DEFAULT_TOKEN_ORDER = new ListOrder<>(TokenColumn.ISSUED_AT, true);

    private final AdminCalls calls;
    private final TokenListing listing;
    private final TokenAdministration administration;
    private final BulkRevocation bulk;
    private final TokenExport export;
    private final SessionListing sessions;
    private final Clock clock;
    private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "token-export");
        t.setDaemon(true);
        return t;
    });

    private final SidecarWaits sidecars;

    public TokenAdminRpcs(AdminCalls calls, TokenListing listing, TokenAdministration administration,
            BulkRevocation bulk, TokenExport export, SessionListing sessions, AppliedWait sidecars, Clock clock) {
        this.calls = calls;
        this.sidecars = new SidecarWaits(sidecars);
        this.listing = listing;
        this.administration = administration;
        this.bulk = bulk;
        this.export = export;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Binds this group's methods of AdminService (see {@link AdminGrpcService}). */
    void bindTo(ServerServiceDefinition.Builder admin) {
        admin.addMethod(AdminServiceGrpc.getListTokensMethod(), ServerCalls.asyncUnaryCall(this::listTokens));
        admin.addMethod(AdminServiceGrpc.getGetTokenMethod(), ServerCalls.asyncUnaryCall(this::getToken));
        admin.addMethod(AdminServiceGrpc.getSuspendTokenMethod(), ServerCalls.asyncUnaryCall(this::suspendToken));
        admin.addMethod(AdminServiceGrpc.getResumeTokenMethod(), ServerCalls.asyncUnaryCall(this::resumeToken));
        admin.addMethod(AdminServiceGrpc.getDeleteTokenMethod(), ServerCalls.asyncUnaryCall(this::deleteToken));
        admin.addMethod(AdminServiceGrpc.getUpdateTokenMethod(), ServerCalls.asyncUnaryCall(this::updateToken));
        admin.addMethod(AdminServiceGrpc.getBatchRevokeTokensMethod(),
                ServerCalls.asyncUnaryCall(this::batchRevokeTokens));
        admin.addMethod(AdminServiceGrpc.getExportTokensMethod(),
                ServerCalls.asyncServerStreamingCall(this::exportTokens));
        admin.addMethod(AdminServiceGrpc.getListSessionsMethod(), ServerCalls.asyncUnaryCall(this::listSessions));
    }

    void listTokens(ListTokensRequest r, StreamObserver<ListTokensResponse> observer) {
        calls.unary(observer, Permission.TOKENS_READ, context -> {
            TokenQuery query = AdminMessages.tokenQuery(r.getQuery(), r.getStatusesList(), r.getUserId(),
                    r.getClientId(), r.getSessionId(), r.hasIssuedAfter() ? r.getIssuedAfter() : null,
                    r.hasIssuedBefore() ? r.getIssuedBefore() : null, r.hasLastUsedAfter() ? r.getLastUsedAfter() : null,
                    r.hasLastUsedBefore() ? r.getLastUsedBefore() : null, r.hasExpiresAfter() ? r.getExpiresAfter() : null,
                    r.hasExpiresBefore() ? r.getExpiresBefore() : null);
            TokenListing.Page page = listing.list(query,
                    ListOrder.parse(r.getOrderBy(), TokenColumn.class, DEFAULT_TOKEN_ORDER), r.getPageSize(),
                    RequestFields.optional("page_token", r.getPageToken()));
            ListTokensResponse.Builder response = ListTokensResponse.newBuilder().setTotalSize(page.totalSize());
            page.items().forEach(item -> response.addTokens(token(item)));
            if (page.nextPageToken() != null) {
                response.setNextPageToken(page.nextPageToken());
            }
            return response.build();
        });
    }

    void getToken(GetTokenRequest request, StreamObserver<TokenDetails> observer) {
        calls.unary(observer, Permission.TOKENS_READ, context -> {
            var details = listing.details(required("token_id", request.getTokenId()));
            var t = details.item().token();
            TokenDetails.Builder response = TokenDetails.newBuilder()
                    .setToken(token(details.item()))
                    .setSession(sessionInfo(details.session()))
                    .addAllAudience(details.session().audience())
                    .addAllScopes(details.session().scopes())
                    .setTokenHashPrefix(details.tokenHashPrefix());
            if (t.parentId() != null) {
                response.setParentTokenId(t.parentId());
            }
            // A revocation of many sessions lets its tokens' rows follow: until then the session says.
            var session = details.session();
            boolean sessionRevoked = session.status() == SessionStatus.REVOKED;
            if (t.revokedAt() != null) {
                response.setRevokedAt(Timestamps.of(t.revokedAt())).setRevokedBy(t.revokedBy())
                        .setRevokeReason(t.revokeReason() == null ? "" : t.revokeReason());
            } else if (sessionRevoked && t.status().isLive() && session.revokedAt() != null) {
                response.setRevokedAt(Timestamps.of(session.revokedAt())).setRevokedBy(session.revokedBy())
                        .setRevokeReason(session.revokeReason() == null ? "" : session.revokeReason());
            }
            var access = details.latestAccessToken();
            if (access != null) {
                response.setLatestAccessToken(AccessTokenInfo.newBuilder().setJti(access.jti())
                        .setIssuedAt(Timestamps.of(access.issuedAt())).setExpiresAt(Timestamps.of(access.expiresAt()))
                        .setRevoked(access.revokedAt() != null || sessionRevoked)
                        .setClaimsJson(details.latestAccessTokenClaimsJson()));
            }
            details.auditEvents().forEach(event -> response.addAuditEvents(AdminMessages.auditEvent(event)));
            return response.build();
        });
    }

    void suspendToken(SuspendTokenRequest request, StreamObserver<Token> observer) {
        calls.unary(observer, Permission.TOKENS_WRITE, context -> token(administration.suspend(
                required("token_id", request.getTokenId()), reason("reason", request.getReason()), context)));
    }

    void resumeToken(ResumeTokenRequest request, StreamObserver<Token> observer) {
        calls.unary(observer, Permission.TOKENS_WRITE, context -> token(administration.resume(
                required("token_id", request.getTokenId()), reason("reason", request.getReason()), context)));
    }

    void deleteToken(DeleteTokenRequest request, StreamObserver<DeleteTokenResponse> observer) {
        calls.unary(observer, Permission.TOKENS_WRITE, context -> {
            administration.delete(required("token_id", request.getTokenId()), reason("reason", request.getReason()),
                    context);
            return DeleteTokenResponse.getDefaultInstance();
        });
    }

    void updateToken(UpdateTokenRequest request, StreamObserver<Token> observer) {
        calls.unary(observer, Permission.TOKENS_WRITE, context -> token(administration.update(
                required("token.token_id", request.getToken().getTokenId()),
                AdminMessages.tokenChanges(request.getToken(), request.getUpdateMask()),
                reason("reason", request.getReason()), context)));
    }

    void batchRevokeTokens(BatchRevokeTokensRequest request, StreamObserver<BatchRevokeTokensResponse> observer) {
        calls.unary(observer, Permission.TOKENS_WRITE, context -> {
            boolean byIds = request.getTokenIdsCount() > 0;
            if (byIds == request.hasFilter()) {
                throw AuthorityException.invalidArgument("token_ids", "give either token_ids or filter, not both or neither");
            }
            BulkRevocation.Selection selection = byIds ? new BulkRevocation.ByIds(request.getTokenIdsList())
                    : new BulkRevocation.Matching(AdminMessages.tokenQuery(request.getFilter()));
            // A preview checks the request as the call itself would (AIP-163), then only reads.
            String reason = reason("reason", request.getReason());
            Optional<Duration> wait = SidecarWaits.timeout(request.hasWaitForSidecars(), request.getWaitForSidecars());
            if (request.hasExpectedCount() && request.getExpectedCount() < 0) {
                throw AuthorityException.invalidArgument("expected_count", "must be 0 or more");
            }
            if (request.getValidateOnly()) {
                return BatchRevokeTokensResponse.newBuilder().setPreview(preview(bulk.preview(selection))).build();
            }
            var result = bulk.revoke(selection, request.hasExpectedCount() ? request.getExpectedCount() : null,
                    reason, context);
            BatchRevokeTokensResponse.Builder response = BatchRevokeTokensResponse.newBuilder()
                    .setRevokedCount(result.revokedCount()).setFeedSequence(result.feedSequence());
            result.outcomes().forEach((id, outcome) -> response.addResults(BatchRevokeResult.newBuilder()
                    .setTokenId(id).setOutcome(BatchRevokeResult.Outcome.valueOf("OUTCOME_" + outcome.name()))));
            sidecars.await(result.feedSequence(), wait).ifPresent(response::setSidecarsApplied);
            return response.build();
        });
    }

    private BatchRevokePreview preview(BulkRevocation.Preview p) {
        BatchRevokePreview.Builder preview = BatchRevokePreview.newBuilder().setTokenCount(p.tokenCount())
                .setSessionCount(p.sessionCount()).setUserCount(p.userCount())
                .setAlreadyRevokedCount(p.alreadyRevokedCount()).setNotFoundCount(p.notFoundCount());
        p.sample().forEach(item -> preview.addSample(token(item)));
        return preview.build();
    }

    void exportTokens(ExportTokensRequest request, StreamObserver<ExportChunk> observer) {
        ServerCallStreamObserver<ExportChunk> call = (ServerCallStreamObserver<ExportChunk>) observer;
        FlowControl flow = new FlowControl(call);
        CallContext caller = GrpcCalls.context();
        String authorization = GrpcCalls.authorization();
        // Streams on a thread of its own: waiting for the client to read must not hold a transport thread.
        streams.execute(() -> GrpcCalls.stream(observer, () -> {
            CallContext context = calls.authorize(authorization, caller, Permission.TOKENS_READ);
            TokenExport.Format format = request.getFormat() == ExportFormat.EXPORT_FORMAT_JSON_LINES
                    ? TokenExport.Format.JSON_LINES : TokenExport.Format.CSV;
            export.export(AdminMessages.tokenQuery(request.getFilter()), format, bytes -> {
                flow.awaitReadyOrAbort();
                call.onNext(ExportChunk.newBuilder().setData(ByteString.copyFrom(bytes)).build());
            }, context);
        }));
    }

    void listSessions(ListSessionsRequest r, StreamObserver<ListSessionsResponse> observer) {
        calls.unary(observer, Permission.TOKENS_READ, context -> {
            var query = new SessionQuery(RequestFields.optional("query", r.getQuery()),
                    RequestFields.optional("user_id", r.getUserId()), RequestFields.optional("client_id", r.getClientId()),
                    r.getActiveOnly(), r.hasLoginAfter() ? AdminMessages.instant(r.getLoginAfter()) : null,
                    r.hasLoginBefore() ? AdminMessages.instant(r.getLoginBefore()) : null);
            AdminMessages.requireRange("login_after", query.loginAfter(), query.loginBefore());
            var page = sessions.list(query, ListOrder.parse(r.getOrderBy(), SessionColumn.class,
                    SessionListing.DEFAULT_ORDER), r.getPageSize(), RequestFields.optional("page_token", r.getPageToken()));
            ListSessionsResponse.Builder response = ListSessionsResponse.newBuilder().setTotalSize(page.totalSize());
            page.items().forEach(item -> response.addSessions(AdminMessages.session(item)));
            if (page.nextPageToken() != null) {
                response.setNextPageToken(page.nextPageToken());
            }
            return response.build();
        });
    }

    private Token token(TokenListItem item) {
        return AdminMessages.token(item, clock.instant());
    }

    private static SessionInfo sessionInfo(Session s) {
        return AdminMessages.sessionInfo(s);
    }
}
