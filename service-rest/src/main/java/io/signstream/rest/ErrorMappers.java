package io.signstream.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * The refusals every service shares, in the one error shape. Authentication runs lazily
 * ({@code quarkus.http.auth.proactive=false} in each service) so that a missing or bad token surfaces here, in the
 * REST layer, instead of as the HTTP layer's empty 401.
 */
public class ErrorMappers {

    static final String CHALLENGE = "Bearer";

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return unauthenticated("this endpoint needs a bearer token (Authorization: Bearer ...); locally:"
                + " ./signstream token --role ROLE");
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return unauthenticated("the bearer token was refused: expired, not signed by the configured issuer's key,"
                + " another issuer, or malformed");
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return ErrorResponse.of(403, ErrorReasons.FORBIDDEN,
                "the token's groups do not include a role this endpoint allows (publisher, trainer, evaluator, viewer:"
                        + " see the README's Authentication section)");
    }

    /** Unknown paths, wrong methods, unsupported media types: the framework's status, the shared JSON shape. */
    @ServerExceptionMapper
    public Response webApplicationException(WebApplicationException e) {
        Response original = e.getResponse();
        if (original.getEntity() instanceof ErrorResponse) {
            return original;
        }
        int status = original.getStatus();
        Response.Status known = Response.Status.fromStatusCode(status);
        return ErrorResponse.of(status, known == null ? "HTTP_" + status : known.name(), e.getMessage());
    }

    private static Response unauthenticated(String detail) {
        return Response.fromResponse(ErrorResponse.of(401, ErrorReasons.UNAUTHENTICATED, detail))
                .header("WWW-Authenticate", CHALLENGE).build();
    }
}
