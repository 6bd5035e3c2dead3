package io.signstream.localstack;

import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Who may call one REST endpoint, checked with real tokens of the {@link LocalAuth#shared() test issuer}: no token
 * is 401, a token without the endpoint's role is 403 (both in the {@code {reason, detail}} shape), and the
 * endpoint's role gets the endpoint's own answer. Requests are chosen so that the allowed one is cheap (a 400 or
 * 404 of the endpoint itself proves the call passed the security check without starting work).
 *
 * @param form a multipart field to send instead of JSON (for upload endpoints), or null
 */
public record EndpointAccess(String method, String path, String json, String form, String allowedRole,
        String[] refusedRoles, int allowedStatus) {

    private static final String[] NO_ROLE = {};

    /** A read: every role may call it, a token without roles may not. */
    public static EndpointAccess read(String path, int allowedStatus) {
        return new EndpointAccess("GET", path, null, null, "viewer", NO_ROLE, allowedStatus);
    }

    /** A write that needs {@code role}; {@code viewer} is refused. */
    public static EndpointAccess write(String path, String json, String role, int allowedStatus) {
        return new EndpointAccess("POST", path, json, null, role, new String[] { "viewer" }, allowedStatus);
    }

    /** A multipart upload that needs {@code role}; {@code viewer} is refused. */
    public static EndpointAccess upload(String path, String role, int allowedStatus) {
        return new EndpointAccess("POST", path, null, "train", role, new String[] { "viewer" }, allowedStatus);
    }

    public void check() {
        request(null).then().statusCode(401).header("WWW-Authenticate", "Bearer")
                .body("reason", equalTo("UNAUTHENTICATED")).body("detail", not(emptyOrNullString()));
        request(refusedRoles).then().statusCode(403)
                .body("reason", equalTo("FORBIDDEN")).body("detail", not(emptyOrNullString()));
        request(new String[] { allowedRole }).then().statusCode(allowedStatus);
    }

    /** The same request with a token that is not one of the configured issuer's: always 401. */
    public void checkRefused(String token) {
        RestAssured.given().header("Authorization", "Bearer " + token).when().request(method, path)
                .then().statusCode(401).body("reason", equalTo("UNAUTHENTICATED"));
    }

    private io.restassured.response.Response request(String[] roles) {
        RequestSpecification request = RestAssured.given();
        if (roles != null) {
            request.header("Authorization", "Bearer " + TestTokens.withRoles(roles));
        }
        if (json != null) {
            request.contentType(ContentType.JSON).body(json);
        }
        if (form != null) {
            request.multiPart("split", form);
        }
        return request.when().request(method, path);
    }

    @Override
    public String toString() {
        return method + " " + path + " as " + allowedRole;
    }
}
