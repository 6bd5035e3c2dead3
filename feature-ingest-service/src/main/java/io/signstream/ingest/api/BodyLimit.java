package io.signstream.ingest.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.signstream.contract.FeatureLayout;
import io.signstream.contract.RejectionReason;
import io.signstream.ingest.domain.IngestMetrics;
import io.signstream.rest.ErrorResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Answers bodies over {@code quarkus.http.limits.max-body-size} with 413 and a JSON reason, instead of
 * Quarkus' empty 413 followed by a closed connection. Most HTTP clients (Python requests among them)
 * send the whole body before reading the answer, and a connection closed under them surfaces as
 * "connection reset" rather than as the 413. So an oversized body that declares its length is read and
 * discarded (up to {@link #DRAIN_FACTOR} x the limit) and then answered; larger ones, or clients that
 * asked {@code Expect: 100-continue}, are answered at once. Bodies without Content-Length (chunked
 * transfer encoding) are cut off by Quarkus' own limit: 413 without a body, connection closed.
 */
@ApplicationScoped
public class BodyLimit {

    private static final Logger LOG = Logger.getLogger(BodyLimit.class);
    private static final long DRAIN_FACTOR = 4;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size")
    MemorySize maxBodySize;

    @ConfigProperty(name = "signstream.validation.max-frames", defaultValue = "600")
    int maxFrames;

    @Inject
    IngestMetrics metrics;

    @Inject
    ObjectMapper json;

    void install(@Observes Router router) {
        // Just before Quarkus' own check (ROUTE_ORDER_UPLOAD_LIMIT), which would answer an empty 413.
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        String declared = context.request().getHeader(HttpHeaderNames.CONTENT_LENGTH);
        long limit = maxBodySize.asLongValue();
        long length;
        try {
            length = declared == null ? -1 : Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            context.next();
            return;
        }
        if (length <= limit) {
            context.next();
            return;
        }
        metrics.refused(IngestMetrics.UPLOAD, RejectionReason.TOO_LARGE.name());
        LOG.infof("refused %s %s: body of %d bytes is over the limit of %d", context.request().method(),
                context.request().path(), length, limit);
        String body = body(length, limit);
        HttpServerRequest request = context.request();
        boolean expectsContinue = "100-continue".equalsIgnoreCase(request.getHeader(HttpHeaderNames.EXPECT));
        if (expectsContinue || length > DRAIN_FACTOR * limit) {
            context.response().setStatusCode(413)
                    .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaderNames.CONNECTION, "close")
                    .end(body).onComplete(done -> request.connection().close());
            return;
        }
        request.handler(ignored -> {
        });
        request.exceptionHandler(ignored -> {
        });
        request.endHandler(ignored -> context.response().setStatusCode(413)
                .putHeader(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .end(body));
        request.resume();
    }

    private String body(long length, long limit) {
        try {
            return json.writeValueAsString(new ErrorResponse(RejectionReason.TOO_LARGE.name(),
                    "request body is " + length + " bytes, the limit is " + limit + " bytes; the longest sample"
                            + " accepted (" + maxFrames + " frames x " + FeatureLayout.DIMS + " float32) is "
                            + (long) maxFrames * FeatureLayout.DIMS * Float.BYTES + " bytes of features"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
